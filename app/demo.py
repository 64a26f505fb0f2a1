"""Bilingual demo data for a large university library: `flask seed-demo` loads it.

Idempotent (users are keyed by e-mail, proposals by title); flushes, never commits.
Everything random comes from one `random.Random(SEED)`, so each run tells the same story,
dated relative to the moment it is loaded.
"""
import random
from datetime import datetime, timedelta
from typing import NamedTuple

from sqlalchemy import func, select, update

from app import settings
from app.audit import AuditEntry
from app.auth.models import User
from app.auth.passwords import hash_password
from app.auth.services import find_by_email, normalise_email
from app.extensions import db
from app.notifications.models import Notification
from app.proposals import lifecycle, services, trending
from app.proposals.models import (
    Branch, Category, Comment, Proposal, ProposalEvent, Status, Support,
)
from app.timeutil import utcnow

PASSWORD = "commons-demo-2026"
EMAIL_DOMAIN = "commons.example"  # a reserved name: demo accounts can never receive mail
SEED = 2026

# handle (the e-mail's local part), display name, patron type, role
USERS = [
    ("lin.xiao", "林晓", "staff", "admin"),
    ("chen.jing", "陈静", "staff", "staff"),  # reader services, Main Library
    ("zhou.yang", "Zhou Yang", "staff", "staff"),  # e-resources and library systems
    ("huang.lihua", "黄丽华", "staff", "staff"),  # Xiang'an Campus Library
    ("wang.haoran", "王浩然", "undergraduate", "patron"),
    ("li.xinyi", "李欣怡", "undergraduate", "patron"),
    ("zhao.yuting", "赵雨婷", "undergraduate", "patron"),
    ("emma.zhang", "Emma Zhang", "undergraduate", "patron"),
    ("chen.yifan", "Chen Yifan", "undergraduate", "patron"),
    ("lin.zhiyuan", "林致远", "undergraduate", "patron"),
    ("liu.zihan", "刘子涵", "postgraduate", "patron"),
    ("sun.ming", "孙明", "postgraduate", "patron"),
    ("he.jiayi", "何佳怡", "postgraduate", "patron"),
    ("priya.nair", "Priya Nair", "postgraduate", "patron"),
    ("xu.jianguo", "徐建国", "faculty", "patron"),
    ("wu.wenjing", "吴文静", "faculty", "patron"),
    ("sarah.oconnor", "Sarah O'Connor", "faculty", "patron"),
    ("guo.fang", "郭芳", "staff", "patron"),
    ("tang.lei", "唐磊", "alumnus", "patron"),
    ("grace.lin", "Grace Lin", "alumnus", "patron"),
    ("kenji.watanabe", "Kenji Watanabe", "other", "patron"),
    ("zheng.hui", "郑晖", "other", "patron"),
]

ACCOUNTS_SUMMARY = [(f"{handle}@{EMAIL_DOMAIN}", role) for handle, _, _, role in USERS]

# key, status, category, branch, author, supports, flags ("anon" hides the name,
# "desk:<handle>" was entered at a desk by that staff member), title, problem, suggestion
PROPOSALS = [
    # --- open for support ---
    ("outlets", "open", "spaces", "main", "wang.haoran", 15, "",
     "总馆三楼南区阅览座位增加电源插座",
     "总馆三楼南区有一百多个座位，但只有靠墙的十几个位置有插座。考试周大家都抢靠墙的座位，"
     "不少同学自带插线板，电线横穿过道，既不方便也有安全隐患。",
     "建议在长桌上加装桌面电源模块，先在三楼南区试点：\n\n"
     "- 每张长桌至少 4 个插座，最好带 USB 口\n- 优先改造靠窗一侧\n"
     "- 在座位预约系统里标注“有电源”，方便选座"),
    ("silent-floor", "open", "environment", "main", "emma.zhang", 6, "",
     "Keep the 5th-floor silent zone of the Main Library actually silent",
     "The 5th floor is signed as a silent study area, but most evenings there are phone calls "
     "and small groups chatting at the tables. After 6 pm there is nobody on the floor to ask "
     "for help, and asking people directly often ends in an argument.",
     "- Put a small “silent zone” sign on every row of desks, not only by the lifts\n"
     "- Add a QR code for reporting noise, so the staff member on duty can walk past\n"
     "- Remind groups that the discussion rooms on the 2nd floor can be booked for free"),
    ("book-drop", "open", "services", "xiangan", "chen.yifan", 3, "",
     "A 24-hour book return box at the Xiang'an Campus Library",
     "The Xiang'an library closes at 22:30 and the self-service return machines are inside "
     "the gates. If I finish a book late at night, or on the day it is due, I have to come "
     "back the next day, and more than once the book has become overdue.",
     "Install an outdoor book drop next to the main entrance and check it in first thing every "
     "morning with the previous day's date, so nothing dropped before midnight counts as late."),
    ("magnifier", "open", "accessibility", "main", "zheng.hui", 3, "desk:chen.jing",
     "为视力不好的读者配备电子助视器",
     "读者在总馆服务台反映：他年纪较大，视力不好，看报纸和旧书上的小字很吃力，"
     "馆里现有的放大镜倍数不够，阅览区的光线也偏暗。（工作人员代为录入）",
     "在一楼报刊阅览区配一台台式电子助视器（可调放大倍数和对比度），"
     "再准备几个带灯的手持放大镜，在服务台登记借用。"),
    ("aircon", "open", "environment", "xiangan", "zhao.yuting", 4, "",
     "翔安校区图书馆四楼空调温度太低",
     "四楼自习区的空调常年开得很低，夏天在里面坐一个小时就觉得冷，很多人要带外套甚至毯子。"
     "同一层靠近楼梯的区域却很闷热，温度很不均匀。",
     "建议把空调设定温度调到 26℃ 左右，并检查出风口的布局；"
     "也可以在楼层入口显示当前温度，方便大家选择座位。"),
    ("new-arrivals", "open", "collections", "humanities", "grace.lin", 2, "",
     "A new-arrivals shelf at the entrance of the Humanities Library",
     "New books go straight into the stacks, so unless you search the catalogue you never "
     "notice them. Browsing the latest arrivals used to be one of the pleasures of this library.",
     "Keep the books that arrived in the last two weeks on a display shelf near the entrance, "
     "with the same list on the library website. They could be borrowed straight from the shelf "
     "as usual."),
    ("ebook-textbooks", "open", "digital", "online", "li.xinyi", 11, "",
     "提供本学期课程指定教材的电子版",
     "很多专业课教材价格较高，图书馆的纸本复本只有两三本，开学后马上被借空，预约要排好几周。",
     "建议：\n\n1. 学期初向各学院收集指定教材清单\n"
     "2. 能买到电子版授权的优先采购，最好支持多人同时在线阅读\n"
     "3. 没有电子版的，增加纸本复本并设为“短期借阅（3 天）”"),
    ("english-fiction", "open", "collections", "main", "priya.nair", 3, "",
     "More contemporary English fiction and graded readers",
     "The English-language fiction shelves in the Main Library hold mostly classics and books "
     "from before 2010. Students who want to practise English by reading for pleasure, and "
     "international students who miss books in a language they read easily, find very little.",
     "Set aside a small yearly budget for recent prize-winning novels and a series of graded "
     "readers, and let patrons recommend titles through a simple form."),
    ("group-rooms", "open", "spaces", "science", "chen.yifan", 10, "",
     "More bookable group study rooms at the Science Library",
     "The Science Library has only four discussion rooms. In project weeks they are booked out "
     "days ahead, so teams end up whispering in the reading rooms and disturbing everyone.",
     "Turn part of the little-used periodicals area on the 2nd floor into two or three "
     "glass-walled group rooms with a screen, and limit each booking to two hours so that more "
     "teams get a turn."),
    ("monitors", "open", "technology", "science", "sun.ming", 2, "",
     "外借便携显示器或设置双屏电脑工位",
     "写代码、处理数据时只用笔记本的一块小屏幕效率很低，宿舍里又没地方放显示器。"
     "理工图书馆的公用电脑都是单屏，而且不能安装自己需要的软件。",
     "在服务台提供便携显示器外借（当天归还），或者在三楼设置十几个带外接显示器的工位，"
     "笔记本插上 Type-C 线就能用。"),
    ("scanner", "open", "technology", "main", "he.jiayi", 4, "",
     "增加自助书刊扫描仪，支持扫描到手机",
     "总馆只有一台自助扫描仪，而且只能存到 U 盘。现在很多人不带 U 盘，排队的人也多，"
     "查资料时只好用手机拍，页面歪斜，字也看不清。",
     "每层至少放一台书刊扫描仪（最好是顶置式，不用压书脊），扫描结果可以扫码发送到手机或邮箱。"),
    ("lobby-reading", "open", "spaces", "main", "chen.jing", 5, "",
     "征集意见：总馆一楼大厅改造为休闲阅读区",
     "总馆一楼大厅目前主要用于临时展览，大部分时间空着；而馆内缺少可以放松看书、小声交流的地方。",
     "我们初步设想在大厅摆放沙发和矮桌，陈列新书、期刊和本校师生著作，允许小声交谈和带盖饮品。"
     "欢迎大家在评论区提出具体需求，例如座位类型、是否需要插座、展览如何安排等。"),
    ("nap", "open", "environment", "xiangan", "wang.haoran", 6, "",
     "设置午休区，允许中午在座位上休息",
     "翔安校区宿舍离教学楼和图书馆都比较远，中午很多同学不回宿舍，只能趴在桌上睡，"
     "经常被提醒“不允许睡觉”，趴着睡醒后脖子也很酸。",
     "在人少的楼层划出一个午休区（12:00–14:00），放几排可以躺靠的沙发椅，调暗灯光；"
     "午休时间结束后恢复为普通自习区。"),
    ("data-plans", "open", "teaching", "online", "wu.wenjing", 1, "",
     "Consultations on research data management plans",
     "More and more funders and journals ask for a data management plan, and for the data "
     "behind a paper to be deposited. Most of us have never written one and do not know which "
     "repositories are acceptable.",
     "Offer one-to-one consultations with a librarian, templates for the common funders and a "
     "short list of recommended repositories by discipline. A one-hour workshop each semester "
     "would help too."),
    ("python-workshop", "open", "teaching", "science", "sun.ming", 2, "",
     "开设 Python / R 数据分析入门工作坊",
     "很多文科和医学的研究生需要做数据分析，但学院没有开相关课程，网上的教程又太零散，不知道从哪里学起。",
     "图书馆可以每学期开一个系列工作坊（4 次，每次 2 小时），从数据整理讲到可视化，"
     "使用真实的公开数据集，并提供录屏和练习材料。"),
    ("medical-noon", "open", "hours", "medical", "he.jiayi", 4, "",
     "医学图书馆中午不闭馆",
     "医学图书馆 12:00–14:00 闭馆，而这正是我们上完课、见习结束后唯一能来查资料的时间，"
     "中午闭馆时大家只能在门口等。",
     "中午保持开放，可以只开放阅览区、暂停人工借还；人手不够的话，可以用自助借还机，"
     "并安排勤工助学的同学值班。"),
    ("holiday-hours", "open", "hours", "online", "priya.nair", 2, "",
     "Publish holiday opening hours at least two weeks ahead",
     "Opening hours for the National Day and Spring Festival holidays are usually announced "
     "two or three days in advance, and only on the WeChat account in Chinese. It is hard to "
     "plan travel or study around them.",
     "Post the holiday timetable of every branch on the website and on WeChat at least two "
     "weeks before, in Chinese and English, and show it in the calendar on the home page."),
    ("catalogue-search", "open", "digital", "online", "xu.jianguo", 2, "",
     "馆藏检索支持繁简体和拼音检索",
     "用简体字检索繁体版古籍和港台出版物经常查不到，必须换成繁体再搜一次；"
     "输入作者姓名的拼音也没有结果，外国学生查书很困难。",
     "在检索系统中加入繁简自动转换，支持拼音和常见异体字检索；"
     "检索结果中把同一作品的不同版本归在一起显示。"),
    ("sensory-room", "open", "accessibility", "main", "emma.zhang", 1, "anon",
     "A low-stimulation quiet room for students who need it",
     "For students with anxiety, autism or sensory sensitivities the big open reading rooms "
     "can be overwhelming: bright lights, people walking past, constant small noises. Some of "
     "us give up and leave after half an hour.",
     "Set aside one small room with dimmable lights, single desks with partitions and "
     "noise-cancelling headphones to borrow. Nobody should need a diagnosis to use it; a sign "
     "asking people to keep it calm is enough."),
    ("bike-parking", "open", "other", "xiangan", "zhao.yuting", 3, "",
     "图书馆门口共享单车乱停，挡住盲道和无障碍坡道",
     "每天早晚，翔安校区图书馆正门前停满共享单车，盲道和无障碍坡道经常被完全挡住，"
     "坐轮椅的读者和推婴儿车的家长都过不去。",
     "在门前广场划定单车停放区并设置电子围栏，请保卫处和运营公司定期清理；"
     "坡道入口处加装隔离桩。"),
    ("lost-found", "open", "services", "online", "lin.zhiyuan", 1, "",
     "Put the library's lost-and-found list online",
     "When I lost my USB drive I had to visit the service desks of three branches to ask "
     "whether it had been handed in. Each desk keeps its own notebook.",
     "Keep one shared list of found items (date, branch and a short description, nothing "
     "personal) on the website, and let owners claim them at any desk with their ID."),
    ("exam-copies", "open", "collections", "main", "chen.yifan", 13, "",
     "考研热门参考书复本太少，希望增加",
     "每年 9 月到 12 月，考研政治、英语和各专业课的热门参考书全部借出，预约队列排到几十人，"
     "很多同学只能自己买，或者在馆内复印。",
     "根据往年的借阅和预约数据，给最热门的 30 种参考书各增加 5–10 个复本，"
     "其中一部分设为馆内阅览、不外借，保证来馆的人都能看到。"),
    ("anatomy-models", "open", "collections", "medical", "priya.nair", 1, "",
     "Lend anatomy models for self-study",
     "Outside lab hours we have no access to anatomy models. Before exams MBBS students crowd "
     "into the lab during its short open sessions, and the models there are old and missing "
     "parts.",
     "Let the Medical Library keep a few models (skull, heart, torso, major joints) that can be "
     "used in a group room for two hours, borrowed with a student card like a laptop."),
    ("bus-display", "open", "other", "xiangan", "guo.fang", 1, "desk:huang.lihua",
     "图书馆大厅显示校车实时到站信息",
     "读者在翔安服务台反映：翔安校区往思明校区的校车班次少，在图书馆里看不到校车什么时候到，"
     "常常为了赶车提前很久离开，或者错过末班车。（工作人员代为录入）",
     "在一楼大厅的信息屏上增加校车时刻表和实时到站信息，闭馆前半小时滚动提示末班车时间。"),
    ("phd-carrels", "open", "spaces", "main", "liu.zihan", 3, "anon",
     "Long-term carrels for doctoral students in their writing year",
     "In the final year of a PhD we spend every day in the library with piles of books, but "
     "seats must be booked daily and everything packed up every evening. Carrying twenty books "
     "back and forth is not realistic.",
     "Offer a limited number of lockable carrels per semester to doctoral students in their "
     "writing year, allocated on application with the supervisor's confirmation, and check "
     "now and then that they are really used."),
    ("duplex", "open", "technology", "main", "guo.fang", 1, "",
     "自助打印默认设置为双面打印",
     "图书馆自助打印机默认单面打印，很多人不知道可以改成双面，打印论文和资料浪费了大量纸张。",
     "把默认选项改为双面打印，需要单面时再手动选择；在打印机旁贴一张简单的说明，"
     "打印界面上也可以显示本次节约的纸张数。"),
    ("ai-search", "open", "teaching", "online", "sarah.oconnor", 2, "",
     "Guidance on using AI tools for literature searching",
     "Students are using AI chatbots to find references, and many of the citations they bring "
     "to me do not exist. Most of them also do not know what the university allows.",
     "Publish a short guide and run a workshop on using AI tools responsibly in research: how "
     "to verify references, which library databases already have AI features, and how to "
     "acknowledge AI use under the university's policy."),
    ("japanese-journals", "open", "collections", "humanities", "kenji.watanabe", 1, "",
     "Access to Japanese-language journals on East Asian history",
     "For research on the maritime history of southern Fujian many key articles appear in "
     "Japanese journals. The library links to CiNii but has no Japanese full-text database, "
     "and interlibrary requests take weeks.",
     "Arrange a trial of a Japanese full-text database and collect usage figures during the "
     "trial to decide whether a subscription is worth it."),
    ("law-rooms", "open", "spaces", "law", "lin.zhiyuan", 2, "",
     "法学图书馆增加案例研讨小组讨论室",
     "法学院的模拟法庭和案例研讨课需要小组准备，但法学图书馆没有讨论室，"
     "只能在走廊里或者去总馆讨论，来回很不方便。",
     "把法学图书馆二楼的旧报刊库房改造成两间小组讨论室，配白板和投影，"
     "通过座位预约系统预约，每次最长两小时。"),
    ("live-seats", "open", "technology", "online", "chen.yifan", 5, "",
     "Show live seat availability for every branch on one page",
     "The reservation system shows only the branch I pick, and on a phone it takes several "
     "taps to see whether any seats are free. I often walk to the Main Library only to find it "
     "full while the Humanities Library had plenty of room.",
     "Add one page listing every branch with the number of free seats right now (and per "
     "floor), refreshed every few minutes, and link it from the WeChat menu."),
    # --- under review ---
    ("exam-nights", "under_review", "hours", "xiangan", "li.xinyi", 14, "",
     "期末考试周翔安校区图书馆通宵开放一楼自习区",
     "翔安校区图书馆晚上 22:30 闭馆，宿舍 23:30 熄灯。期末考试周很多同学没有地方复习，"
     "只能在宿舍楼道或者便利店里看书。",
     "考试周的最后两周开放一楼自习区通宵，其他楼层照常闭馆：\n\n"
     "- 只开一个入口，刷校园卡进出\n- 安排保安夜间巡查\n- 凌晨关闭部分照明和空调，节约能耗"),
    ("document-delivery", "under_review", "services", "online", "sarah.oconnor", 4, "",
     "Faster document delivery for articles we do not subscribe to",
     "Document delivery requests for journal articles take five to ten working days. Before a "
     "grant deadline or during a paper revision that is far too slow, and many colleagues end "
     "up asking friends abroad for PDFs.",
     "- Aim for a 48-hour turnaround for articles\n"
     "- Use the national CALIS and CASHL networks first, and commercial suppliers for urgent "
     "requests\n- Show the status of each request online instead of only e-mailing at the end"),
    ("clinical-database", "under_review", "digital", "medical", "wu.wenjing", 10, "",
     "Subscribe to a point-of-care clinical database",
     "Interns and residents at the affiliated hospitals need quick, evidence-based answers at "
     "the bedside. Textbooks and general journal searches take far too long during ward rounds.",
     "Subscribe to a point-of-care resource with mobile access for students and for the staff "
     "of the affiliated hospitals, starting with a trial to see how much it is used."),
    ("rare-books", "under_review", "collections", "humanities", "xu.jianguo", 4, "",
     "简化古籍特藏阅览的预约流程",
     "目前查阅古籍需要提前三个工作日填写纸质申请表，经导师和学院签字后送到特藏部，流程繁琐。"
     "外校学者来访时间短，往往来不及办理。",
     "改为线上预约，填写阅览目的和所需书目即可：本校师生凭校园卡，外校学者凭介绍信。"
     "已有数字化影像的古籍优先提供电子版阅览，减少对原件的使用。"),
    ("visitor-card", "under_review", "services", "main", "kenji.watanabe", 3, "desk:chen.jing",
     "Temporary library cards for visiting scholars without a campus card",
     "A visiting scholar told us at the Main Library desk that his campus card took over a "
     "month to arrive, and until then he could neither enter the library nor borrow anything. "
     "(Entered by staff at the service desk.)",
     "Issue a temporary reader card at the service desk on the day of arrival, on the strength "
     "of the invitation letter and passport, valid until the campus card is ready."),
    ("lidded-drinks", "under_review", "environment", "main", "emma.zhang", 12, "",
     "Allow drinks in lidded cups in the reading rooms",
     "Only water bottles are allowed in the reading rooms. In the long, hot summer people bring "
     "coffee and tea anyway and hide them under the desk, which is worse than simply allowing "
     "them.",
     "Allow drinks in cups with a secure lid everywhere except the special collections, keep "
     "food banned, and put a few extra bins by the entrances."),
    ("alumni-access", "under_review", "services", "main", "tang.lei", 3, "",
     "校友办理借阅证并使用部分数据库",
     "毕业以后就不能再进图书馆，也不能使用任何数据库了。很多校友仍在本地工作或继续做研究，"
     "希望能继续利用母校图书馆的资源。",
     "开放校友借阅证（可收取押金或少量年费），凭证入馆阅览和借书；"
     "与数据库商协商，向校友开放许可范围内的部分资源。"),
    # --- accepted ---
    ("seat-no-shows", "accepted", "spaces", "main", "zhao.yuting", 13, "",
     "预约座位长时间不签到应自动释放",
     "座位预约系统可以提前一天约座，很多座位约了之后一上午都没人来，桌上只放着一本书或一个水杯，"
     "真正想学习的同学反而约不到。",
     "建议：\n\n1. 预约后 30 分钟内未签到，自动释放座位\n"
     "2. 暂离超过 1 小时自动释放（午饭时段可放宽到 90 分钟）\n"
     "3. 一个月内违约 3 次，暂停预约 7 天"),
    ("ramp", "accepted", "accessibility", "humanities", "guo.fang", 7, "",
     "人文社科图书馆正门增设无障碍坡道",
     "人文社科图书馆正门有十几级台阶，没有坡道也没有电梯。坐轮椅的读者和拄拐杖的老师"
     "只能绕到后面的货运入口，而那里经常锁着。",
     "在正门一侧加装无障碍坡道和扶手；坡道建成之前，先在货运入口安装呼叫门铃，并在正门贴出指引。"),
    ("nursing-room", "accepted", "environment", "main", "wu.wenjing", 3, "anon",
     "在总馆设立母婴室",
     "馆里有不少年轻的教职工和在读的研究生妈妈，需要定时吸奶或照顾孩子，"
     "现在只能躲在卫生间或楼梯间，很不方便也不卫生。",
     "在总馆找一个小房间改造为母婴室，配备可以上锁的门、舒适的座椅、电源插座、洗手池和小冰箱，"
     "并在馆内导视图上标注。"),
    ("purchase-notice", "accepted", "collections", "online", "liu.zihan", 3, "",
     "Tell me when a book I recommended for purchase arrives",
     "I have recommended several books through the purchase suggestion form but never heard "
     "back. Months later I sometimes find one in the catalogue by chance, already borrowed by "
     "someone else.",
     "Send a short notice (WeChat or e-mail) when the library decides on a recommendation, and "
     "place an automatic hold for the person who recommended the book once it is catalogued."),
    ("english-workshops", "accepted", "teaching", "online", "priya.nair", 2, "",
     "Reference-manager workshops taught in English",
     "The library's Zotero and EndNote workshops are excellent, but they are only given in "
     "Chinese. International students and visiting scholars learn from online videos instead, "
     "which never cover the Chinese databases we actually use.",
     "Run the same workshop in English once a semester, ideally online as well, including how "
     "to import records from CNKI and other Chinese databases."),
    # --- in progress ---
    ("lockers", "in_progress", "spaces", "main", "he.jiayi", 12, "",
     "增加存包柜并支持扫码开柜",
     "总馆入口的存包柜太少，上午九点以后基本就满了；只能用校园卡开柜，忘带卡时很麻烦，"
     "还有人长期占用柜子。",
     "增加一批智能存包柜，支持校园卡和扫码开柜，使用期限到当天闭馆为止；"
     "闭馆后未取的物品由工作人员登记保管。"),
    ("basement-wifi", "in_progress", "technology", "humanities", "lin.zhiyuan", 4, "",
     "人文社科图书馆地下一层无线网络信号太差",
     "地下一层过刊阅览区手机几乎没有信号，校园无线网也经常连不上，"
     "查电子资源、下载文献都要跑到楼上。",
     "在地下一层加装无线接入点，并检查现有设备的覆盖情况；"
     "改造完成之前，可以先在入口处提示楼上信号较好的区域。"),
    ("desk-lamps", "in_progress", "environment", "science", "chen.yifan", 4, "",
     "Repair the broken desk lamps in the Science Library reading room",
     "About a third of the desk lamps in the 3rd-floor reading room of the Science Library "
     "flicker or do not work at all. In the evening those seats are too dark to read at, so "
     "everyone crowds onto the rest.",
     "Replace the broken lamps (LED with adjustable brightness, if possible) and add an easy "
     "way to report a broken lamp, such as a QR code with the seat number on each desk."),
    ("restrooms", "in_progress", "environment", "xiangan", "lin.zhiyuan", 2, "",
     "Soap, paper towels and hand dryers in the Xiang'an library restrooms",
     "By the afternoon the restrooms on the upper floors of the Xiang'an library often have no "
     "soap or paper towels left, and there are no hand dryers. In flu season that is a real "
     "problem.",
     "Refill supplies twice a day, install hand dryers on each floor, and put a QR code on the "
     "door for reporting an empty dispenser."),
    ("citation-reports", "in_progress", "teaching", "science", "sun.ming", 3, "",
     "论文收录引用检索证明支持线上申请和电子版",
     "评奖学金、申报项目都需要图书馆出具论文收录和引用检索证明。现在要先发邮件申请，"
     "再到理工图书馆现场领取盖章的纸质报告，来回要跑好几趟。",
     "开通线上申请和进度查询，报告出具后提供带电子签章的 PDF；需要纸质版的再到馆领取或邮寄。"),
    # --- completed ---
    ("print-payments", "completed", "technology", "online", "kenji.watanabe", 11, "",
     "Pay for printing with WeChat Pay or Alipay",
     "The self-service printers accept only campus card balance. Topping up a campus card needs "
     "a Chinese bank card linked to the card system, which many international students and "
     "visiting scholars do not have in their first weeks.",
     "Let the printers take scan-to-pay (WeChat Pay and Alipay) on the screen, and sell print "
     "credit at the service desk for people who have neither."),
    ("carsi", "completed", "digital", "online", "liu.zihan", 10, "",
     "开通 CARSI 登录，校外访问数据库不用再挂 VPN",
     "在校外只能通过 VPN 访问数据库，VPN 经常掉线，下载大一点的 PDF 就失败。"
     "寒暑假回家写论文时非常不方便。",
     "开通 CARSI 联邦认证，在知网、万方、Web of Science 等平台上选择“机构登录”，"
     "用学校统一身份认证账号直接访问，不需要 VPN。"),
    ("hot-water", "completed", "environment", "science", "wang.haoran", 4, "",
     "理工图书馆二楼饮水机长期没有热水",
     "理工图书馆二楼的饮水机两个多月都只有温水，冬天想泡杯茶都不行，"
     "只能去一楼接，一楼那台又经常排队。",
     "请尽快维修或更换二楼的饮水机，并在每台饮水机上贴出报修电话和最近一次更换滤芯的日期。"),
    ("thesis-workshop", "completed", "teaching", "main", "li.xinyi", 6, "",
     "举办毕业论文格式与参考文献规范讲座",
     "每年写毕业论文时，大家都在格式、目录和参考文献上花很多时间，"
     "学院的要求和国家标准也不完全一样，问了辅导员也说不清楚。",
     "在每年 3 月和 11 月举办讲座，内容包括：\n\n- 学校论文模板的使用\n"
     "- GB/T 7714 参考文献著录规则\n- 用 Zotero 或 NoteExpress 自动生成参考文献\n\n"
     "讲座录屏放到图书馆网站上。"),
    ("due-reminders", "completed", "services", "online", "emma.zhang", 7, "",
     "Due-date reminders through the library's WeChat account",
     "The library sends overdue notices only by e-mail, which most students never check. I "
     "have paid fines twice because I forgot a due date.",
     "Send a WeChat message three days before a loan is due, with a button to renew it right "
     "there when no one else has placed a hold."),
    ("umbrellas", "completed", "services", "xiangan", "huang.lihua", 3, "",
     "雨天在入口提供雨伞套和共享雨伞",
     "春夏季雨水多，读者带着湿雨伞进馆，地面湿滑，已经有读者摔倒；雨伞放在门口又容易被拿错。",
     "我们计划在翔安校区图书馆入口放置雨伞套机和雨伞架，并提供一批共享雨伞，凭校园卡借用、"
     "次日归还。欢迎大家提出意见。"),
    # --- declined ---
    ("weekend-visitors", "declined", "services", "main", "grace.lin", 2, "",
     "Let visitors into the Main Library on weekends without booking",
     "Visitors from outside the university, alumni and students' families included, have to "
     "book a visit online several days ahead, and the quota is often full even when the "
     "library is half empty on a weekend afternoon.",
     "Let walk-in visitors with an ID card register at the entrance on weekends whenever "
     "occupancy is below a set level."),
    ("ebook-downloads", "declined", "digital", "online", "chen.yifan", 3, "",
     "Remove the page limit on downloading e-books",
     "Several of our e-book platforms let you download only 20 to 60 pages of a book a day, "
     "and some allow online reading only. Reading a whole book offline, on a train or in the "
     "lab, is impossible.",
     "Negotiate with the publishers to allow whole chapters or whole books to be downloaded, "
     "or move to platforms that allow it."),
    ("law-weekends", "declined", "hours", "law", "lin.zhiyuan", 5, "",
     "法学图书馆周末全天开放",
     "法学图书馆周六、周日闭馆，但很多法学专业的同学周末需要查阅纸质法律文献和判例汇编，"
     "总馆的法律类藏书很少。",
     "周末至少开放一天（9:00–17:00），可以只开放阅览室，借还使用自助机。"),
    # --- awaiting moderation ---
    ("standing-desks", "submitted", "spaces", "science", "emma.zhang", 0, "",
     "A few standing desks by the windows",
     "Sitting for a whole day in the library is bad for the back. Several students I know "
     "already work standing at the catalogue terminals because there is nowhere else.",
     "Put four or five height-adjustable desks along the windows on one floor of the Science "
     "Library, without booking, as a one-semester trial."),
    ("english-faq", "submitted", "other", "online", "guo.fang", 0, "",
     "图书馆网站增加英文版常见问题解答",
     "我在国际合作与交流处工作，经常有留学生和外籍教师来问如何办证、借书、访问数据库。"
     "图书馆网站的英文页面内容很少，很多链接点进去还是中文。",
     "整理一份英文版常见问题（入馆、借还、打印、数据库访问、座位预约），放在英文首页显眼位置，"
     "并在新生入学时发给国际学生。"),
    # --- withdrawn by the author ---
    ("print-newspapers", "withdrawn", "collections", "humanities", "sarah.oconnor", 0, "",
     "Bring back printed foreign newspapers",
     "The Humanities Library stopped displaying printed foreign newspapers this year. Reading "
     "a physical paper over coffee is a different experience from scrolling through one online.",
     "Restore at least a few international titles in the periodicals room."),
    ("self-checkout", "withdrawn", "services", "main", "wang.haoran", 0, "",
     "总馆自助借还机经常识别不了图书",
     "一楼的两台自助借还机经常读不出书里的芯片，要反复放好几次，最后还是得去人工服务台办理。",
     "检查并更换自助借还机的读写器，或者调整设备的感应区域。"),
]

# proposal key, author, official (the library's answer), body; in the order they were written
COMMENTS = [
    ("outlets", "li.xinyi", False, "同意！三楼北区也一样，靠墙的位置早上七点半就被占满了。"),
    ("outlets", "chen.jing", True,
     "感谢建议。我们已请后勤处评估三楼南区加装桌面电源的用电负荷，评估结果出来后会在这里更新。"),
    ("outlets", "chen.yifan", False,
     "Please also check the floor sockets near the windows: two of them by row 12 are dead."),
    ("silent-floor", "zhao.yuting", False, "+1. After 8 pm it is basically a discussion room."),
    ("silent-floor", "kenji.watanabe", False,
     "A QR code for reporting would be great. I never know whom to tell."),
    ("book-drop", "wang.haoran", False, "上学期就因为晚上还不了书超期了一天，支持！"),
    ("magnifier", "xu.jianguo", False, "不少退休老教师也常来报刊区，这个很有必要。"),
    ("aircon", "he.jiayi", False, "四楼东侧真的很冷，我每次都带一件外套。"),
    ("aircon", "huang.lihua", True,
     "已转告物业，本周起四楼空调设定温度调整为 26℃，东侧出风口加装了导风板。请大家继续反馈体感。"),
    ("new-arrivals", "xu.jianguo", False, "赞成。以前的新书架是我每周必看的地方。"),
    ("ebook-textbooks", "wang.haoran", False, "《数学分析》开学第一天就借空了，我预约排在第 23 位。"),
    ("ebook-textbooks", "zhou.yang", True,
     "电子教材的授权比一般电子书复杂，不少出版社只提供单用户授权。我们正在收集本学期各学院的"
     "指定教材清单，能买到多用户授权的会优先采购。"),
    ("ebook-textbooks", "li.xinyi", False, "谢谢回复！清单出来后能公布一下哪些有电子版吗？"),
    ("english-fiction", "emma.zhang", False,
     "Graded readers would be great for the English Corner club as well."),
    ("english-fiction", "grace.lin", False,
     "Would you accept donations? Plenty of alumni have shelves of English novels to give."),
    ("group-rooms", "sun.ming", False,
     "理工图书馆的讨论室确实太少了，每次最多两小时这个限制我也赞成。"),
    ("monitors", "chen.yifan", False,
     "Even three or four monitors to borrow at the desk would help."),
    ("scanner", "xu.jianguo", False, "顶置式扫描仪对古籍和旧书尤其重要，压书脊很伤书。"),
    ("lobby-reading", "emma.zhang", False,
     "Please keep a few tables with sockets, and maybe a board-game corner on Friday evenings?"),
    ("lobby-reading", "wang.haoran", False, "希望多放一些单人沙发，不要全是长桌。"),
    ("lobby-reading", "chen.jing", False, "谢谢大家的建议，我们会把评论区的意见汇总到设计方案里。"),
    ("nap", "zhao.yuting", False, "中午回宿舍来回要四十分钟，很支持。"),
    ("data-plans", "sarah.oconnor", False,
     "Strongly agree. Both national and international funders now ask for one."),
    ("python-workshop", "he.jiayi", False, "医学院很需要，尤其是用 R 做统计分析。"),
    ("python-workshop", "liu.zihan", False, "希望有录屏，翔安校区的同学也能看。"),
    ("medical-noon", "priya.nair", False,
     "The same for MBBS students: noon is our only free slot on clinical days."),
    ("holiday-hours", "kenji.watanabe", False,
     "Agreed. An English version of the WeChat notice would help a lot."),
    ("catalogue-search", "kenji.watanabe", False,
     "Searching by pinyin would make a big difference for international readers."),
    ("sensory-room", "liu.zihan", False,
     "This would help many people, not only those with a diagnosis."),
    ("bike-parking", "guo.fang", False, "推婴儿车也过不去，希望尽快解决。"),
    ("exam-copies", "li.xinyi", False,
     "能不能优先增加专业课参考书？政治和英语的辅导书更新太快，今年买了明年就过时了。"),
    ("exam-copies", "wang.haoran", False, "支持留一部分馆内阅览本。"),
    ("anatomy-models", "he.jiayi", False, "可以放在医学图书馆的讨论室里，预约使用。"),
    ("phd-carrels", "sun.ming", False,
     "Same at the Science Library. Even a shelf to leave books on overnight would help."),
    ("ai-search", "liu.zihan", False,
     "Yes please. A list of which databases already have AI search would be a good start."),
    ("ai-search", "zhou.yang", False,
     "We are drafting a guide with the Graduate School and will link it here when it is out."),
    ("law-rooms", "lin.zhiyuan", False, "期中模拟法庭之前，我们组只能在走廊里讨论。"),
    ("live-seats", "zhao.yuting", False, "很实用！最好能在公众号菜单里直接看到。"),
    ("exam-nights", "wang.haoran", False, "强烈支持，熄灯以后宿舍里根本没法看书。"),
    ("exam-nights", "zhao.yuting", False, "安全措施做好的话，至少可以在考试周试一试。"),
    ("exam-nights", "huang.lihua", True,
     "感谢大家的支持。我们已与保卫处、后勤处沟通，正在评估考试周一楼自习区通宵开放所需的"
     "安保、保洁和空调成本，计划在本学期期末前答复。"),
    ("document-delivery", "wu.wenjing", False, "同感，上个月申请的一篇文章等了 8 个工作日。"),
    ("document-delivery", "zhou.yang", True,
     "Thank you. We are reviewing our document delivery workflow with the CALIS and CASHL "
     "centres and testing a priority service for urgent requests. We will report the results "
     "here before the end of the month."),
    ("clinical-database", "he.jiayi", False, "附属医院规培的同学也很需要，希望能开通。"),
    ("clinical-database", "zhou.yang", True,
     "We have asked two vendors for quotations and for a one-month trial that includes the "
     "affiliated hospitals. The decision depends on next year's budget; we will post the trial "
     "dates here."),
    ("rare-books", "chen.jing", True,
     "特藏部正在设计线上预约表单。已数字化的古籍约三分之一可以在馆内电脑上阅览影像，"
     "我们会先整理并公布这份清单。"),
    ("visitor-card", "chen.jing", True,
     "We are discussing with the International Office a temporary card, valid for 30 days, "
     "that the service desk can issue from the invitation letter. We will post the outcome here."),
    ("lidded-drinks", "he.jiayi", False, "Please! I was once told off for a thermos of tea."),
    ("lidded-drinks", "grace.lin", False,
     "Most libraries I have used abroad allow this. Just keep the special collections dry."),
    ("lidded-drinks", "chen.jing", True,
     "We are reviewing the drinks rules together with the cleaning contractor, and are "
     "considering a trial in the 2nd- and 3rd-floor reading rooms of the Main Library next "
     "semester."),
    ("alumni-access", "grace.lin", False,
     "Yes please. Even reading on site, without borrowing, would be wonderful."),
    ("alumni-access", "chen.jing", True,
     "我们正在与校友总会商讨校友借阅证的办理方案。受数据库许可协议限制，远程访问数据库的可能性较小，"
     "但入馆阅览和借书有望实现。"),
    ("seat-no-shows", "li.xinyi", False, "暂离的规定很需要，有人一早放了书就去上课了。"),
    ("seat-no-shows", "chen.jing", True,
     "经馆务会讨论，采纳这条建议：下学期开学起，预约后 30 分钟未签到自动释放；暂离时限为 60 分钟，"
     "11:30–13:30 放宽至 90 分钟。违约规则将在上线前一周公示。"),
    ("seat-no-shows", "zhao.yuting", False, "谢谢！希望早点上线。"),
    ("ramp", "xu.jianguo", False, "我们学院有位老师坐轮椅，每次来都要打电话请人开后门。"),
    ("ramp", "chen.jing", True,
     "我们已与基建处到现场查看，坡道已列入今年暑假的维修计划。在此之前，货运入口已安装呼叫门铃，"
     "开馆时间内有工作人员开门。"),
    ("nursing-room", "chen.jing", True,
     "已采纳。总馆二楼原资料整理室将改造为母婴室，配备门锁、哺乳椅、洗手池、冰箱和电源插座，"
     "预计下学期开放。"),
    ("purchase-notice", "zhou.yang", True,
     "Accepted. From next month the system will tell you when your recommendation is ordered "
     "or turned down, and will place a hold for you automatically when the book is ready."),
    ("english-workshops", "kenji.watanabe", False,
     "I would come. Importing records from CNKI has been painful."),
    ("english-workshops", "zhou.yang", True,
     "Accepted: the first English session will run online in week 4 of next semester. Tell us "
     "here which Chinese databases you would like it to cover."),
    ("lockers", "zhao.yuting", False, "希望有几格能给手机充电。"),
    ("lockers", "chen.jing", True,
     "新存包柜共 120 格，支持校园卡和扫码开柜，目前正在安装，预计两周内投入使用。"),
    ("basement-wifi", "zhou.yang", True,
     "网络中心已完成勘察，地下一层将新增 6 个无线接入点。施工安排在周末，届时地下一层临时关闭半天。"),
    ("desk-lamps", "sun.ming", False, "三楼靠窗那排基本都不亮了。"),
    ("desk-lamps", "chen.jing", True,
     "Thank you for reporting this. Facilities have replaced the lamps in rows 1 to 8; the "
     "remaining rows are waiting for parts and should be done within two weeks."),
    ("restrooms", "huang.lihua", True,
     "We have asked the cleaning contractor to refill supplies at 12:00 and 17:00 every day, "
     "and hand dryers for floors 2 to 5 have been ordered."),
    ("citation-reports", "zhou.yang", True,
     "线上申请系统已在试运行，可以在网页提交申请并查询进度；带电子签章的报告格式正在与学校办公室确认。"),
    ("print-payments", "emma.zhang", False,
     "This helps Chinese students too. My campus card balance is always empty."),
    ("print-payments", "zhou.yang", True,
     "Done: every self-service printer in every branch now accepts WeChat Pay and Alipay by "
     "scanning the code on the screen, and the campus card still works. If you have neither, "
     "the service desk sells print credit for cash."),
    ("print-payments", "kenji.watanabe", False,
     "Tried it today at the Main Library. It works perfectly, thank you!"),
    ("carsi", "zhou.yang", True,
     "CARSI 已开通，目前支持知网、万方、维普、Web of Science、ScienceDirect 等三十多个数据库。"
     "在数据库登录页选择“机构登录”或“CARSI”，搜索本校名称，用统一身份认证账号登录即可。"
     "完整列表见图书馆网站“校外访问”页面。"),
    ("carsi", "liu.zihan", False, "在家试了一下，用知网下载很顺利，感谢！"),
    ("hot-water", "chen.jing", True, "二楼饮水机已更换为新机，并贴出了报修电话和滤芯更换记录。感谢反馈！"),
    ("thesis-workshop", "chen.jing", True,
     "讲座已于本月举办两场，录屏和课件已上传到图书馆网站“讲座回放”栏目。"),
    ("thesis-workshop", "li.xinyi", False, "讲得很清楚，参考文献那部分特别有用。"),
    ("due-reminders", "zhou.yang", True,
     "Now live: link your library account in our WeChat account (menu “My Library”) to get a "
     "reminder three days before a loan is due, with a one-tap renewal."),
    ("due-reminders", "wang.haoran", False, "已经收到第一条提醒了，很方便。"),
    ("umbrellas", "zhao.yuting", False, "雨伞套机很好用，门口地面干净多了。"),
    ("umbrellas", "huang.lihua", True, "共享雨伞已经上线，共 80 把，凭校园卡在服务台借用，次日闭馆前归还。"),
    ("weekend-visitors", "chen.jing", True,
     "Thank you for the suggestion. Under the university's campus access rules visitors must "
     "register in advance, and the library cannot change that on its own. We have, however, "
     "had the weekend visitor quota of the Main Library raised from 100 to 200 places from "
     "next month."),
    ("ebook-downloads", "zhou.yang", True,
     "We raised this with the three largest platforms. Their licences limit downloads per "
     "user, and the library cannot override them without losing access to most of these "
     "titles. When a publisher offers a licence without download limits at a reasonable "
     "price, we choose it at renewal."),
    ("ebook-downloads", "chen.yifan", False, "Understood, thanks for explaining."),
    ("law-weekends", "chen.jing", True,
     "法学图书馆目前只有 4 名工作人员，暂时无法安排周末开放。作为替代，常用法学参考书和判例汇编"
     "已在总馆四楼设立专架，总馆周末照常开放；法考前一个月，法学图书馆周六开放。"),
    ("law-weekends", "lin.zhiyuan", False, "理解，总馆的专架也挺方便的。"),
]

# The note staff gave with the decision (or the author with a withdrawal), shown on the timeline
DECISIONS = {
    "seat-no-shows": "采纳：新的签到和暂离规则将于下学期开学起执行。",
    "ramp": "采纳：坡道已列入暑假维修计划，货运入口先加装呼叫门铃。",
    "nursing-room": "采纳：总馆二楼将改造出一间母婴室，预计下学期开放。",
    "purchase-notice": "Accepted: notices and automatic holds will be added to the purchase "
                       "recommendation service.",
    "english-workshops": "Accepted: an English session will be offered every semester.",
    "lockers": "采纳：已采购 120 格智能存包柜。",
    "basement-wifi": "采纳：网络中心将在地下一层新增无线接入点。",
    "desk-lamps": "Accepted: Facilities will replace the broken lamps.",
    "restrooms": "Accepted: supplies will be refilled twice a day and hand dryers installed.",
    "citation-reports": "采纳：线上申请和电子版报告正在开发。",
    "print-payments": "Accepted: scan-to-pay will be enabled on every self-service printer.",
    "carsi": "采纳：已向 CARSI 申请接入，预计一个月内开通。",
    "hot-water": "采纳：已报修，二楼饮水机将整机更换。",
    "thesis-workshop": "采纳：讲座纳入每年 3 月和 11 月的培训计划。",
    "due-reminders": "Accepted: due-date reminders will be added to the WeChat account.",
    "umbrellas": "采纳：雨伞套机和共享雨伞将在雨季前到位。",
    "weekend-visitors": "Declined: campus access rules require visitors to register in "
                        "advance. The weekend quota has been raised instead.",
    "ebook-downloads": "Declined: download limits are set by the publishers' licences, which "
                       "the library cannot override.",
    "law-weekends": "暂不采纳：法学图书馆人手不足，周末请使用总馆四楼的法学专架。",
    "print-newspapers": "I found the library's PressReader subscription, which covers what I "
                        "was missing.",
    "self-checkout": "自助借还机更换读写器后好多了，撤回。",
}

# The life-cycle steps that lead from a new proposal to each status
ROUTES = {
    "submitted": [],
    "open": ["publish"],
    "under_review": ["publish", "review"],
    "accepted": ["publish", "review", "accept"],
    "in_progress": ["publish", "review", "accept", "start"],
    "completed": ["publish", "review", "accept", "start", "complete"],
    "declined": ["publish", "review", "decline"],
    "withdrawn": ["publish", "withdraw"],
}
# Steps that come with a note (DECISIONS) and after which no new supports are taken
CLOSING = {"accept", "decline", "withdraw"}
STEP_DAYS = {"accept": (2, 12), "decline": (2, 12), "start": (3, 20), "complete": (5, 30)}
# How long ago proposals in each status were written, in days: decided ones are older.
AGE_DAYS = {
    "open": (1, 110), "under_review": (20, 90), "accepted": (30, 110),
    "in_progress": (45, 115), "completed": (70, 120), "declined": (25, 110),
    "submitted": (0.2, 3), "withdrawn": (15, 100),
}
BRANCH_STAFF = {"xiangan": "huang.lihua", "online": "zhou.yang"}  # everywhere else chen.jing
STAFF = {handle for handle, _, _, role in USERS if role != "patron"}


class Idea(NamedTuple):
    key: str
    status: str
    category: str
    branch: str
    author: str
    supports: int
    flags: str
    title: str
    problem: str
    suggestion: str

    @property
    def desk(self) -> str | None:
        return self.flags.partition("desk:")[2] or None

    @property
    def published_at_once(self) -> bool:
        """What staff write or enter is published without moderation."""
        return self.author in STAFF or self.desk is not None


class History(NamedTuple):
    created: datetime
    steps: list[tuple[str, datetime]]  # (action, when), publishing included
    supporters: list[str]
    support_times: list[datetime]
    comment_times: list[datetime]


IDEAS = [Idea(*row) for row in PROPOSALS]


def _email(handle: str) -> str:
    return normalise_email(f"{handle}@{EMAIL_DOMAIN}")


def _times(rng: random.Random, start: datetime, end: datetime, n: int, skew=1.0):
    """n sorted moments between start and end; skew > 1 crowds them towards the start."""
    span = max((end - start).total_seconds(), 0)
    return sorted(start + timedelta(seconds=span * rng.random() ** skew) for _ in range(n))


def _steps(rng: random.Random, now: datetime, idea: Idea, created: datetime):
    """When each life-cycle step happened: moderation within a day or so, review some weeks
    later (recently for what is still under review), then a decision and the work."""
    route = ROUTES[idea.status]
    if not route:
        return []
    delay = timedelta(0) if idea.published_at_once else timedelta(hours=rng.uniform(1, 30))
    published = min(created + delay, created + (now - created) / 3)
    steps = [("publish", published)]
    rest = route[1:]
    if not rest:
        return steps
    window = now - timedelta(days=1) - published
    if rest[0] == "review" and idea.status == "under_review":
        first = max(now - timedelta(days=rng.uniform(2, 16)), published + window / 2)
    else:
        first = published + window * rng.uniform(0.2, 0.5)
    gaps = [timedelta(days=rng.uniform(*STEP_DAYS[a])) for a in rest[1:]]
    room = now - timedelta(days=1) - first
    scale = min(1.0, 0.9 * room / sum(gaps, timedelta())) if gaps else 1.0
    moment = first
    steps.append((rest[0], moment))
    for action, gap in zip(rest[1:], gaps):
        moment += gap * scale
        steps.append((action, moment))
    return steps


def _history(rng: random.Random, now: datetime, idea: Idea, comments: list) -> History:
    """When things happened to one proposal; the same draws whatever is already loaded."""
    low, high = AGE_DAYS[idea.status]
    created = now - timedelta(days=rng.uniform(low, high))
    steps = _steps(rng, now, idea, created)
    patrons = [h for h, _, _, role in USERS if role == "patron" and h != idea.author]
    commenters = [h for _, h, _, _ in comments if h in patrons]
    others = [h for h in patrons if h not in commenters]
    rng.shuffle(others)
    supporters = list(dict.fromkeys(commenters + others))[:idea.supports]
    opened = steps[0][1] if steps else created
    closed = next((when for action, when in steps if action in CLOSING), now)
    support_times = _times(rng, opened + timedelta(minutes=20), closed, len(supporters), 2.0)
    return History(created, steps, supporters, support_times,
                   _comment_times(rng, now, opened, steps, comments))


def _comment_times(rng, now, opened, steps, comments) -> list[datetime]:
    """The library's answer comes with the latest step; other comments fall around it."""
    first = opened + timedelta(hours=1)
    answer = next((i for i, c in enumerate(comments) if c[2]), None)
    if answer is None or len(steps) < 2:
        return _times(rng, first, now, len(comments))
    answered = steps[-1][1] + timedelta(minutes=rng.uniform(10, 240))
    before = _times(rng, first, answered - timedelta(hours=1), answer)
    after = _times(rng, answered + timedelta(hours=1), now, len(comments) - answer - 1)
    return before + [answered] + after


def _ensure_users(echo) -> tuple[dict[str, User], int]:
    users, password_hash, created = {}, None, 0
    for handle, name, patron_type, role in USERS:
        user = find_by_email(_email(handle))
        if user is None:
            password_hash = password_hash or hash_password(PASSWORD)  # Argon2 once, not 22 times
            user = User(email=_email(handle), display_name=name, patron_type=patron_type,
                        role=role, password_hash=password_hash)
            db.session.add(user)
            created += 1
        users[handle] = user
    db.session.flush()
    echo(f"Demo users: {created} new, {len(USERS) - created} already there.")
    return users, created


def _slugs(model) -> dict[str, int]:
    return dict(db.session.execute(select(model.slug, model.id)).all())


def _load(idea: Idea, history: History, comments: list, users, categories, branches) -> None:
    """Everything through the services and the life cycle, as it would happen in the app."""
    proposal = services.create(
        author=users[idea.author], title=idea.title, problem=idea.problem,
        suggestion=idea.suggestion, category_id=categories[idea.category],
        branch_id=branches[idea.branch], hide_name="anon" in idea.flags,
        entered_by=users[idea.desk] if idea.desk else None,
    )
    official = next((users[c[1]] for c in comments if c[2]), None)
    staff = official or users[BRANCH_STAFF.get(idea.branch, "chen.jing")]
    steps = history.steps
    if steps and steps[0][0] == "publish":
        if proposal.state is Status.SUBMITTED:  # what staff enter is already published
            lifecycle.transition(proposal, "publish", by=staff)
        steps = steps[1:]
    for handle in history.supporters:  # while it is open, as patrons would have
        services.support(proposal, users[handle])
    written = [
        services.add_comment(proposal, author=users[handle], body=body, official=is_official)
        for _, handle, is_official, body in comments
    ]
    for action, _ in steps:
        actor = users[idea.author] if action == "withdraw" else staff
        note = DECISIONS.get(idea.key, "") if action in CLOSING else ""
        lifecycle.transition(proposal, action, by=actor, note=note)
    _backdate(proposal, history, written)


def _backdate(proposal: Proposal, history: History, comments: list[Comment]) -> None:
    """Move everything to when it happened, then recount trending from those moments."""
    events = db.session.scalars(select(ProposalEvent).where(
        ProposalEvent.proposal_id == proposal.id).order_by(ProposalEvent.id)).all()
    event_times = [history.created] + [when for _, when in history.steps]
    for event, moment in zip(events, event_times, strict=True):
        event.created_at = moment
        db.session.execute(update(Notification).where(
            Notification.proposal_id == proposal.id, Notification.status == event.to_status,
        ).values(created_at=moment))
    for action, moment in history.steps:
        db.session.execute(update(AuditEntry).where(
            AuditEntry.subject_type == "proposal", AuditEntry.subject_id == proposal.id,
            AuditEntry.action == action,
        ).values(created_at=moment))
    supports = db.session.scalars(
        select(Support).where(Support.proposal_id == proposal.id).order_by(Support.id)
    ).all()
    for support, moment in zip(supports, history.support_times, strict=True):
        support.created_at = moment
    for comment, moment in zip(comments, history.comment_times, strict=True):
        comment.created_at = moment
    _backdate_proposal(proposal, history, comments)
    db.session.flush()


def _backdate_proposal(proposal: Proposal, history: History, comments: list[Comment]) -> None:
    """The life cycle stamped its fields with "now": restamp those it set."""
    when = dict(history.steps)
    last_step = history.steps[-1][1] if history.steps else history.created
    proposal.created_at = history.created
    proposal.updated_at = last_step
    if proposal.published_at is not None:
        proposal.published_at = when["publish"]
    if proposal.reviewed_at is not None:  # the first staff step: moderation or review
        proposal.reviewed_at = when.get("publish", history.created)
    if proposal.response_due_at is not None:
        proposal.response_due_at = when["review"] + timedelta(days=settings.get("response_days"))
    decided = when.get("accept") or when.get("decline")
    if proposal.decided_at is not None:
        proposal.decided_at = decided
    if proposal.first_answer_at is not None:
        answers = [c.created_at for c in comments if c.is_official] + [decided]
        proposal.first_answer_at = min(a for a in answers if a is not None)
    proposal.last_activity_at = max(
        [last_step, *history.support_times, *history.comment_times])
    proposal.trending_score = trending.weight(history.created) + sum(
        trending.weight(moment) for moment in history.support_times)


def _has_proposals() -> bool:
    return db.session.scalar(select(func.count()).select_from(Proposal)) > 0


def seed(only_if_empty: bool = False, echo=print) -> bool:
    """Load the demo data; True if anything new was added. Flushes, never commits."""
    if only_if_empty and _has_proposals():
        echo("The database already has proposals: demo data not loaded.")
        return False
    categories, branches = _slugs(Category), _slugs(Branch)
    if not categories or not branches:
        raise RuntimeError("Categories and branches are missing: run `flask db upgrade` first.")
    users, new_users = _ensure_users(echo)
    rng, now = random.Random(SEED), utcnow()
    existing = set(db.session.scalars(
        select(Proposal.title).where(Proposal.title.in_([i.title for i in IDEAS]))
    ))
    new_proposals = new_supports = new_comments = 0
    for idea in IDEAS:
        comments = [c for c in COMMENTS if c[0] == idea.key]
        history = _history(rng, now, idea, comments)  # drawn even when skipped: stable story
        if idea.title in existing:
            continue
        _load(idea, history, comments, users, categories, branches)
        new_proposals += 1
        new_supports += len(history.supporters)
        new_comments += len(comments)
    echo(f"Demo proposals: {new_proposals} new, {len(IDEAS) - new_proposals} already there.")
    if not (new_users or new_proposals):
        echo("Demo data: already loaded, nothing to add.")
        return False
    echo(f"Demo data: {new_users} users, {new_proposals} proposals, "
         f"{new_supports} supports, {new_comments} comments.")
    return True
