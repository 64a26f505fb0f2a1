"""Phrase lists the generator composes proposals, comments and names from, in English and Chinese.

Enough pieces that titles rarely repeat, and words a patron would really search for
(quiet, printer, Wi-Fi, 座位, 自习室, 打印, 开放时间) so search scenarios hit realistic result sizes.
"""

EN_PLACES = [
    "on the 3rd floor of the Main Library", "in the Science Library", "at the Xiang'an Campus Library",
    "in the Humanities Library reading room", "in the Medical Library", "in the Law Library",
    "near the main entrance", "in the basement study hall", "on the 5th floor silent zone",
    "in the group study area", "next to the periodicals section", "in the 24-hour study room",
    "by the self-service machines", "in the east wing", "on the ground floor",
]
EN_WANTS = [
    ("More quiet study seats", "spaces"), ("More power sockets at the long tables", "spaces"),
    ("Longer opening hours during exam weeks", "hours"), ("Open earlier on weekends", "hours"),
    ("A colour printer that accepts campus cards", "technology"),
    ("Faster Wi-Fi", "technology"), ("More self-service scanners", "technology"),
    ("Dual-monitor workstations", "technology"), ("More copies of core textbooks", "collections"),
    ("A new-arrivals shelf", "collections"), ("More contemporary English fiction", "collections"),
    ("Remote access to the IEEE and ACM databases", "digital"),
    ("E-book versions of course readers", "digital"), ("A 24-hour book return box", "services"),
    ("Longer loan periods for postgraduates", "services"),
    ("Workshops on reference managers", "teaching"), ("Help with data analysis in R and Python", "teaching"),
    ("A step-free entrance", "accessibility"), ("Screen readers on the public computers", "accessibility"),
    ("Warmer air conditioning settings", "environment"), ("Better lighting at the desks", "environment"),
    ("Water refill stations", "environment"), ("Lockers for overnight storage", "other"),
]
EN_PROBLEMS = [
    "During exam weeks every seat is taken by 8 am and people wander the floors looking for space.",
    "The only printer keeps jamming and the queue is often ten people long.",
    "The Wi-Fi drops every few minutes, which makes online exams and video calls impossible.",
    "Most evenings there are phone calls and small groups chatting, so it is never really quiet.",
    "The library closes at 22:30, but many of us study late before deadlines.",
    "There are only two copies of the textbook and the waiting list is several weeks long.",
    "Off campus, the databases ask for a login that never works with the VPN.",
    "The sockets are only along the walls, so laptops run out of battery by the afternoon.",
    "The air conditioning is set so low that people bring blankets in summer.",
    "Wheelchair users have to go round to the back door, which is often locked.",
    "Nobody knows when new books arrive because they go straight into the stacks.",
    "Booking a group room takes days, so teams end up whispering in the reading rooms.",
    "The self-service machines are hard to find and the instructions are only in one language.",
    "International students find very little to read for pleasure in English.",
]
EN_SUGGESTIONS = [
    "Try it on one floor for a semester and count how the space is used.",
    "Publish the results on the library website so everyone can see what changed.",
    "Let patrons book through the existing seat reservation system.",
    "Add a simple sign in both English and Chinese explaining how it works.",
    "Start with the busiest branch and extend it if it works.",
    "Ask the student union to help spread the word.",
    "A small budget at the start of the year would cover most of it.",
    "Staff at the service desk could collect feedback during the first month.",
    "Put a QR code on each desk so patrons can report problems straight away.",
    "Keep the current arrangement outside exam weeks.",
]
EN_COMMENTS = [
    "Yes please, this would help a lot.", "I had exactly the same problem last week.",
    "Agreed, especially in the evenings.", "Could this also apply to the Science Library?",
    "I think the weekend is even worse.", "Supported. The current situation is frustrating.",
    "Is there any update on this?", "A trial on one floor sounds like a good start.",
    "Please also consider students with disabilities.", "This matters most during exam season.",
]

ZH_PLACES = [
    "总馆三楼", "理工图书馆", "翔安校区图书馆", "人文社科图书馆", "医学图书馆", "法学图书馆",
    "总馆一楼大厅", "地下自习室", "五楼静音区", "二楼研讨区", "报刊阅览区", "24小时自习室",
    "自助服务区", "东区阅览室",
]
ZH_WANTS = [
    ("增加自习室座位", "spaces"), ("长桌加装电源插座", "spaces"), ("考试周延长开放时间", "hours"),
    ("周末提前开馆", "hours"), ("增加彩色打印机并支持校园卡", "technology"), ("提升无线网络速度", "technology"),
    ("增加自助扫描仪", "technology"), ("设置双屏电脑工位", "technology"), ("增加课程教材复本", "collections"),
    ("设立新书展示架", "collections"), ("开通数据库校外访问", "digital"), ("提供课程教材电子版", "digital"),
    ("设置24小时还书箱", "services"), ("延长研究生借阅期限", "services"), ("开设文献管理软件讲座", "teaching"),
    ("提供数据分析咨询", "teaching"), ("增设无障碍通道", "accessibility"), ("公用电脑安装读屏软件", "accessibility"),
    ("空调温度调高一些", "environment"), ("改善桌面照明", "environment"), ("增加饮水机", "environment"),
    ("提供过夜储物柜", "other"),
]
ZH_PROBLEMS = [
    "考试周早上八点座位就被占满了，很多同学在各层转来转去找不到位置。",
    "唯一的打印机经常卡纸，排队打印的人常常有十几个。",
    "无线网络每隔几分钟就断一次，在线考试和视频会议根本没法进行。",
    "晚上经常有人打电话、小声聊天，静音区一点都不安静。",
    "图书馆晚上十点半就闭馆，可是赶作业的时候大家都学到很晚。",
    "这本教材馆里只有两本，预约要排好几周。",
    "在校外访问数据库总是要求登录，连上校园网也不行。",
    "插座只在靠墙的位置，下午笔记本电脑就没电了。",
    "空调开得太低，夏天很多人要带外套甚至毯子。",
    "坐轮椅的读者只能绕到后门进馆，而后门经常锁着。",
    "新书直接上架，大家根本不知道什么时候到了新书。",
    "研讨间要提前好几天预约，小组只好在阅览室里小声讨论。",
]
ZH_SUGGESTIONS = [
    "建议先在一层试点一个学期，统计使用情况后再推广。",
    "把结果公布在图书馆网站上，让大家看到变化。",
    "可以直接接入现有的座位预约系统。",
    "用中英文双语标识说明使用方法。",
    "先在最繁忙的分馆开始，效果好再推广到其他分馆。",
    "可以请学生会帮忙宣传。",
    "每年年初预留一小笔预算就能解决大部分问题。",
    "第一个月请服务台的老师收集读者意见。",
    "在每张桌子上贴二维码，方便读者随时反馈。",
    "非考试周可以保持现在的安排。",
]
ZH_COMMENTS = [
    "非常支持，希望尽快落实！", "上周我也遇到了同样的问题。", "同意，尤其是晚上。",
    "理工图书馆也能这样做吗？", "周末的情况更严重。", "支持，现在真的很不方便。",
    "请问这个提议有进展了吗？", "先在一层试点是个好主意。", "也请考虑一下残障同学的需要。",
    "考试周最需要这个。",
]
OFFICIAL_EN = [
    "Thank you. We will trial this on one floor next semester and report back here.",
    "We looked into this carefully: the building's wiring does not allow it this year.",
    "Done: the change is in place from Monday. Thank you for the idea.",
]
OFFICIAL_ZH = [
    "感谢建议。我们将在下学期选一层试点，并在这里公布结果。",
    "我们认真研究了这个建议：今年的楼宇线路改造条件还不允许。",
    "已经落实：从下周一开始执行。感谢大家的建议。",
]

ZH_SURNAMES = list("王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾")
ZH_GIVEN = ["晓", "静", "浩然", "欣怡", "雨婷", "子涵", "明", "佳怡", "建国", "文静", "芳", "磊", "晖",
            "一帆", "致远", "思远", "梓萱", "宇轩", "诗涵", "俊杰", "嘉怡", "博文", "雪", "婷"]
EN_FIRST = ["Emma", "Priya", "Sarah", "Grace", "Kenji", "David", "Amira", "Lucas", "Mei", "Omar",
            "Sofia", "James", "Aisha", "Noah", "Hannah", "Ravi", "Chloe", "Daniel", "Yuki", "Leo"]
EN_LAST = ["Zhang", "Nair", "O'Connor", "Lin", "Watanabe", "Smith", "Haddad", "Martin", "Chen",
           "Khan", "Rossi", "Brown", "Osei", "Wilson", "Park", "Patel", "Dubois", "Müller"]
