"""Bilingual demo data for a large university library: `flask seed-demo` loads it.

Idempotent (users are keyed by e-mail, proposals by title, projects by proposal); flushes,
never commits. Projects, volunteers, updates, outcomes and ratings go through the projects
services, as they would in the app.
Everything random comes from one `random.Random(SEED)`, so each run tells the same story,
dated relative to the moment it is loaded.
"""
import math
import random
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import NamedTuple

from sqlalchemy import func, select, update

from app import settings
from app.audit import AuditEntry
from app.auth.models import User
from app.auth.passwords import hash_password
from app.auth.services import find_by_email, normalise_email
from app.calls.demo import seed_calls
from app.consultations import demo as consultation_demo
from app.extensions import db
from app.insight import rollups
from app.notifications.models import Kind, Notification
from app.projects import services as projects
from app.projects.models import Outcome, Project, Volunteer
from app.proposals import lifecycle, services, trending
from app.proposals.models import (
    Branch,
    Category,
    Comment,
    Proposal,
    ProposalEvent,
    Status,
    Support,
)
from app.questionnaires.demo import seed_questionnaire
from app.timeutil import utcnow
from app.workshops import demo as workshop_demo

PASSWORD = "commons-demo-2026"  # noqa: S105 - the demo accounts' published password
EMAIL_DOMAIN = "commons.example"  # a reserved name: demo accounts can never receive mail
SEED = 2026

# handle (the e-mail's local part), display name, patron type, role
USERS = [
    ("lin.xiao", "林晓", "staff", "admin"),
    ("chen.jing", "陈静", "staff", "staff"),  # reader services, Main Library
    ("zhou.yang", "周洋", "staff", "staff"),  # e-resources and library systems
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
    ("ebook-textbooks", "wang.haoran", False,
     "《数学分析》开学第一天就借空了，我预约排在第 23 位。"),
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
     "网络中心已完成勘察，地下一层将新增 6 个无线接入点。"
     "施工安排在周末，届时地下一层临时关闭半天。"),
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
    ("hot-water", "chen.jing", True,
     "二楼饮水机已更换为新机，并贴出了报修电话和滤芯更换记录。感谢反馈！"),
    ("thesis-workshop", "chen.jing", True,
     "讲座已于本月举办两场，录屏和课件已上传到图书馆网站“讲座回放”栏目。"),
    ("thesis-workshop", "li.xinyi", False, "讲得很清楚，参考文献那部分特别有用。"),
    ("due-reminders", "zhou.yang", True,
     "Now live: link your library account in our WeChat account (menu “My Library”) to get a "
     "reminder three days before a loan is due, with a one-tap renewal."),
    ("due-reminders", "wang.haoran", False, "已经收到第一条提醒了，很方便。"),
    ("umbrellas", "zhao.yuting", False, "雨伞套机很好用，门口地面干净多了。"),
    ("umbrellas", "huang.lihua", True,
     "共享雨伞已经上线，共 80 把，凭校园卡在服务台借用，次日闭馆前归还。"),
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

# How each in-progress or completed proposal was carried out, in its own language: the staff
# lead, volunteer places, whether every place was taken (with a short waiting list), the hours
# a member typically gave, the goal, what volunteers do, milestones and the lead's updates.
PROJECTS = {
    "lockers": (
        "chen.jing", 6, True, (3, 10),
        "在总馆一楼入口新增 120 格智能存包柜，支持校园卡和扫码开柜，使用期限到当天闭馆为止，"
        "让上午九点以后来馆的读者也能存包。",
        "- 试运行第一周在入口协助读者扫码开柜，记录遇到的问题\n"
        "- 每天 9:00、14:00、19:00 统计空柜数量\n"
        "- 闭馆前协助工作人员检查未取物品并登记",
        ["完成选址和用电评估", "第一批 60 格安装并试运行", "第二批 60 格安装",
         "根据试用反馈确定使用规则"],
        ["第一批 **60 格**智能存包柜已在总馆一楼入口东侧安装完毕，今天起试运行：\n\n"
         "- 校园卡和微信扫码都能开柜\n"
         "- 使用期限到当天闭馆为止，闭馆后未取的物品由服务台登记保管\n\n"
         "试用中遇到问题，请告诉入口处戴绿色胸牌的志愿者。",
         "志愿者这周统计了空柜数量：上午 9 点以后仍然**基本满柜**，下午 2 点前后最紧张。"
         "第二批 60 格已到货，本周六安装，其中 12 格带 USB 充电口。"],
    ),
    "basement-wifi": (
        "zhou.yang", 4, False, (1, 4),
        "在人文社科图书馆地下一层新增 6 个无线接入点，让过刊阅览区每个座位都能稳定连上校园网。",
        "- 施工前后各一次，用手机测速 App 在地下一层 20 个固定测量点测试信号和下载速度\n"
        "- 把结果填入共享表格，标出信号差的位置\n"
        "- 改造完成后试用一周，反馈仍然连不上的地方",
        ["施工前信号测试", "安装 6 个无线接入点", "施工后复测并公布结果"],
        ["志愿者已在地下一层 20 个测量点完成施工前测试：**9 个点**下载速度低于 1 Mbps，"
         "过刊区最里面三排完全搜不到校园网。网络中心已按测试结果确定了接入点的位置。",
         "6 个无线接入点已安装 4 个，其余 2 个的线缆需要穿过防火分区，安排在下周六上午施工，"
         "届时地下一层闭馆半天。"],
    ),
    "desk-lamps": (
        "chen.jing", 5, True, (1, 3),
        "Every desk lamp in the 3rd-floor reading room of the Science Library works again, as a "
        "dimmable LED lamp, and a broken lamp can be reported from the desk in a few seconds.",
        "- Check every lamp on the floor once and note which ones flicker or are dead\n"
        "- Stick a QR label with the seat number on each desk\n"
        "- After the repairs, check again and report anything that was missed",
        ["Survey every lamp and label the desks", "Replace the lamps in rows 1–8",
         "Replace the lamps in rows 9–14"],
        ["Volunteers checked all **168 lamps** on the 3rd floor: 57 were broken or flickering. "
         "Every desk now has a QR label with its seat number; scan it to report a lamp, and "
         "Facilities receive the seat number directly.",
         "The parts for rows 9–14 have arrived. Facilities will fit them on Saturday morning, so "
         "those rows are closed until 12:00."],
    ),
    "restrooms": (
        "huang.lihua", 3, False, (1, 4),
        "The restrooms on every floor of the Xiang'an library always have soap and paper towels, "
        "and every floor has a hand dryer.",
        "- For two weeks, check the dispensers on your floor at 16:00 and note what is empty\n"
        "- Try the QR code for reporting an empty dispenser and tell us how fast it was refilled",
        ["Refills twice a day added to the cleaning contract", "Two weeks of dispenser checks",
         "Hand dryers installed on floors 2–5"],
        ["Since Monday the cleaning contractor refills soap and paper towels at **12:00 and "
         "17:00**. In the first week volunteers found an empty dispenser in 3 of 40 checks, all "
         "on the 4th floor, which now gets an extra refill at 15:00."],
    ),
    "citation-reports": (
        "zhou.yang", 8, False, (1, 3),
        "论文收录引用检索证明全程线上办理：网上申请、查询进度，报告以带电子签章的 PDF 出具，"
        "不用再到馆领取。",
        "- 用自己的论文提交一份试用申请，走完整个流程\n"
        "- 记录表单中不清楚或不方便的地方\n"
        "- 核对报告中的收录和引用信息是否准确",
        ["线上申请系统试运行", "确定电子签章报告格式", "正式上线并发布办理指南"],
        ["线上申请系统已开放给志愿者试用，目前收到 **17 份**试用申请，平均 3 个工作日出具报告。",
         "根据志愿者的反馈，表单做了两处调整：\n\n1. 可以直接粘贴 DOI 列表，不用逐篇填写\n"
         "2. 增加“加急（用于奖学金或项目申报）”选项\n\n电子签章报告的格式已经学校办公室确认。"],
    ),
    "print-payments": (
        "zhou.yang", 6, True, (3, 8),
        "Every self-service printer in every branch takes WeChat Pay and Alipay as well as the "
        "campus card, so nobody needs a topped-up campus card to print.",
        "- Test scan-to-pay on each printer model, with Chinese and foreign phones and wallets\n"
        "- Write a one-page printing guide in Chinese and English\n"
        "- Help at the Main Library printers in the first two weeks",
        ["Scan-to-pay on the Main Library printers", "All branches connected",
         "Bilingual printing guide at every printer"],
        ["Scan-to-pay now works on the **12 printers** of the Main Library. Volunteers tested it "
         "with six phones: Alipay works with a foreign bank card, WeChat Pay needs a linked card "
         "first.",
         "All branches are connected. The volunteers' one-page guide is posted next to every "
         "printer and on the [printing help page](https://library.example/help/printing)."],
    ),
    "carsi": (
        "zhou.yang", 10, False, (2, 6),
        "开通 CARSI 联邦认证，师生在校外用统一身份认证账号直接登录常用中外文数据库，不再依赖 VPN。",
        "- 在校外（家里或外地）用 CARSI 登录分配给你的数据库，检索并下载全文\n"
        "- 记录登录入口的位置和遇到的问题\n"
        "- 协助编写“校外访问”使用指南",
        ["完成 CARSI 接入申请", "中文数据库开通", "外文数据库测试完毕并发布指南"],
        ["CARSI 已在知网、万方、维普上线。志愿者正在逐一测试外文数据库，目前发现 **3 个平台**的"
         "“机构登录”入口名称不同，会在指南中逐一标注。",
         "34 个数据库全部测试完毕，只有 1 个平台需要先选择“中国”再搜索学校名称。"
         "使用指南已发布在图书馆网站“校外访问”页面。"],
    ),
    "hot-water": (
        "chen.jing", 3, False, (1, 2),
        "更换理工图书馆二楼的饮水机，保证全天供应开水，并在每台饮水机上贴出报修电话和滤芯更换记录。",
        "- 每周巡查一次各楼层饮水机，记录出水温度和滤芯更换日期\n- 发现问题扫码报修",
        ["报修并确定整机更换方案", "新饮水机安装调试", "各楼层贴出报修电话和滤芯记录"],
        ["新饮水机已经到货，周三上午安装调试，期间请先使用一楼饮水机。"
         "**各楼层**饮水机的报修电话和滤芯更换记录表也会同时贴出。"],
    ),
    "thesis-workshop": (
        "chen.jing", 8, True, (2, 6),
        "举办毕业论文格式与参考文献规范讲座，讲清学校模板、GB/T 7714 著录规则和文献管理软件的用法，"
        "并提供录屏和课件。",
        "- 在班级群和论文写作群收集大家最常遇到的格式问题\n"
        "- 讲座现场担任助教，帮助同学安装和使用 Zotero\n"
        "- 整理讲座问答，补充到常见问题页面",
        ["收集常见格式问题", "思明校区讲座", "翔安校区讲座", "上传录屏、课件和问答"],
        ["志愿者共收集到 **96 个**格式问题，出现最多的三类：\n\n- 自动生成的目录页码不对\n"
         "- 中英文参考文献混排\n- 图表编号跨章节\n\n这些都会在讲座中现场演示。",
         "思明校区的讲座已结束，到场 **210 人**。翔安校区的讲座安排在下周三晚上，"
         "地点在图书馆一楼报告厅。"],
    ),
    "due-reminders": (
        "zhou.yang", 12, False, (1, 3),
        "Patrons who link their library account to the library's WeChat account get a reminder "
        "three days before a loan is due, and can renew it there with one tap when nobody else "
        "is waiting for the book.",
        "- Link your library account and keep a few loans out during the test\n"
        "- Report reminders that arrive late, twice or not at all\n"
        "- Try renewing from the message and tell us what was unclear",
        ["Link library accounts to the WeChat account", "Test the reminders with volunteers",
         "Go live for all patrons"],
        ["Testing has started with our volunteers: **a message three days before the due "
         "date**, with a renew button when nobody has placed a hold.",
         "Volunteers found that reminders for loans due on a Sunday arrived on Thursday "
         "evening. They now always arrive at 9:00.",
         "All fixed: we go live for everyone next week. Link your account under **My Library** "
         "in the WeChat menu."],
    ),
    "umbrellas": (
        "huang.lihua", 6, True, (2, 8),
        "在翔安校区图书馆入口配备雨伞套机、雨伞架和 80 把共享雨伞：雨天进馆不再弄湿地面，"
        "临时下雨也能借到伞。",
        "- 给共享雨伞贴编号和二维码\n"
        "- 雨季头两周在入口协助读者使用雨伞套机、借还雨伞\n"
        "- 记录借还情况和读者意见",
        ["采购雨伞套机和共享雨伞", "安装雨伞套机并给雨伞编号", "共享雨伞开始借用"],
        ["两台雨伞套机已在正门和西门安装好，志愿者正在给 **80 把**共享雨伞贴编号和二维码。",
         "共享雨伞下周一开始借用：凭校园卡在服务台借，次日闭馆前归还。"
         "雨季头两周，志愿者会在入口帮忙。"],
    ),
}

# What changed when a project completed: the summary, measured indicators (name, before,
# after, unit), evidence links, and what the first raters wrote (stars, comment)
OUTCOMES = {
    "print-payments": (
        "All **46 self-service printers** in every branch now accept WeChat Pay and Alipay by "
        "scanning the code on the screen; the campus card still works, and the service desks "
        "sell print credit for cash. A bilingual guide written by volunteers hangs next to "
        "every printer.",
        [("Printers accepting WeChat Pay and Alipay", "0", "46", "printers"),
         ("Print jobs paid by phone in a typical week", "0", "2380", "jobs"),
         ("Questions about print credit at the service desks", "65", "12", "per week")],
        ["https://library.example/news/2026/scan-to-pay-printing",
         "https://library.example/help/printing"],
        [(5, "Printed my residence-permit forms in my first week. Thank you!"),
         (4, "Works well. It would help to see the price before scanning.")],
    ),
    "carsi": (
        "CARSI 已开通，**34 个**中外文数据库支持用统一身份认证账号在校外直接登录，不再需要 VPN。"
        "志愿者逐一测试了每个数据库的登录入口，写成了图文指南。",
        [("可通过 CARSI 校外访问的数据库", "0", "34", "个"),
         ("校外访问求助（每月）", "126", "31", "次"),
         ("VPN 同时在线人数峰值", "1450", "610", "人")],
        ["https://library.example/zh/remote-access/carsi"],
        [(5, "寒假在家写论文，下载文献再也不用挂 VPN 了。"),
         (4, "大部分数据库都很顺利，个别外文库的登录入口不好找，幸亏有指南。")],
    ),
    "hot-water": (
        "理工图书馆二楼饮水机已整机更换，全天供应开水。各楼层饮水机都贴出了报修电话和滤芯更换记录，"
        "志愿者每周巡查一次。",
        [("二楼饮水机出水温度", "42", "96", "℃"),
         ("一楼饮水机高峰排队时间", "6", "1", "分钟")],
        [],
        [(5, "冬天终于能在二楼泡茶了。")],
    ),
    "thesis-workshop": (
        "两场讲座共有 **386 人次**参加，录屏、课件和整理好的 40 条问答已上传到图书馆网站"
        "“讲座回放”栏目。讲座已列入每年 3 月和 11 月的培训计划。",
        [("讲座现场参加人次", "0", "386", "人次"),
         ("讲座回放观看次数", "0", "2140", "次"),
         ("论文格式相关咨询（每月）", "118", "47", "次")],
        ["https://library.example/zh/lectures/thesis-format",
         "https://www.example.edu/graduate/thesis-template"],
        [(5, "参考文献那部分讲得特别清楚，少走了很多弯路。"),
         (4, "希望答辩前再加一场，那时候改格式的人特别多。")],
    ),
    "due-reminders": (
        "Everyone who links their account under “My Library” in the WeChat menu now gets a "
        "reminder three days before a loan is due and can renew it with one tap. Overdue loans "
        "have fallen by about 40 %.",
        [("Overdue loans", "1840", "1090", "per month"),
         ("Renewals from the WeChat reminder", "0", "2960", "per month"),
         ("Loans returned or renewed by the due date", "81", "90", "%")],
        ["https://library.example/news/2026/wechat-due-reminders",
         "https://library.example/stats/loans"],
        [(5, "No more fines. The renew button is the best part."),
         (3, "Useful, but I once got a reminder for a book I had already returned.")],
    ),
    "umbrellas": (
        "翔安校区图书馆正门和西门各装了一台雨伞套机，80 把共享雨伞凭校园卡在服务台借用、次日归还。"
        "开放以来入口没有再发生滑倒，拿错雨伞的投诉也少了很多。",
        [("雨季入口滑倒报告（每月）", "2", "0", "起"),
         ("共享雨伞借出（每月）", "0", "560", "次"),
         ("雨伞丢失或拿错的投诉（每月）", "14", "2", "起")],
        ["https://library.example/zh/xiangan/umbrellas"],
        [(5, "下雨天借伞太方便了，第二天还就行。"),
         (4, "希望伞再多一些，暴雨那天一下子就借完了。")],
    ),
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


class ProjectSpec(NamedTuple):
    lead: str
    places: int
    full: bool  # every place taken, and a waiting list of one to three
    hours: tuple[float, float]  # what a member with recorded hours gave, low to high
    goal: str
    volunteer_tasks: str
    milestones: list[str]
    updates: list[str]


class OutcomeSpec(NamedTuple):
    summary: str
    indicators: list[tuple[str, str, str, str]]  # name, before, after, unit
    evidence: list[str]
    ratings: list[tuple[int, str]]  # what the first raters gave and wrote


class Plan(NamedTuple):
    """When and how a project ran; drawn whatever is already loaded, like History."""
    starts_on: date
    ends_on: date
    milestones: list[tuple[str, date, date | None]]  # title, due, done
    joins: list[tuple[str, datetime]]  # in arrival order: the first `places` are members
    updates: list[tuple[str, datetime]]
    hours: list[tuple[str, Decimal, datetime]]  # member, hours, when the lead recorded them
    ratings: list[tuple[str, int, str, datetime]]  # rater, stars, comment, when


IDEAS = [Idea(*row) for row in PROPOSALS]
PROJECT_SPECS = {key: ProjectSpec(*row) for key, row in PROJECTS.items()}
OUTCOME_SPECS = {key: OutcomeSpec(*row) for key, row in OUTCOMES.items()}
PATRONS = [handle for handle, _, _, role in USERS if role == "patron"]


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
    for action, gap in zip(rest[1:], gaps, strict=False):
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


def _plan(rng: random.Random, now: datetime, idea: Idea, history: History) -> Plan:
    """How the project ran, between the start step and its completion (or now): the same draws
    whatever is already loaded."""
    spec = PROJECT_SPECS[idea.key]
    when = dict(history.steps)
    started, completed = when["start"], when.get("complete")
    until = completed or now - timedelta(hours=2)
    span = until - started
    last_day = (completed or now - timedelta(days=1)).date()  # the last day work was done
    starts_on = min((started + span * rng.uniform(0.02, 0.2)).date(), last_day)
    if completed:  # planned to end around when it did
        ends_on = max(starts_on, (completed - timedelta(days=rng.uniform(0, 3))).date())
    else:  # still running: planned to end in the coming weeks
        ends_on = now.date() + timedelta(days=rng.randint(10, 45))
    milestones = _milestones(rng, spec.milestones, starts_on, ends_on, last_day)
    wanted = (spec.places + rng.randint(1, 3) if spec.full
              else rng.randint(math.ceil(spec.places / 2), spec.places - 1))
    joins = list(zip(_volunteers(rng, idea, history, wanted), _times(
        rng, started + timedelta(minutes=30), started + span * 0.6, wanted, 1.5), strict=False))
    updates = list(zip(spec.updates, _times(
        rng, started + span * 0.1, until - span * 0.03, len(spec.updates)), strict=False))
    members = joins[:spec.places]
    hours = []
    for handle, joined in members:  # most members of a finished project have their hours
        recorded = rng.random() < (0.85 if completed else 0.5)
        amount = max(0.5, round(rng.uniform(*spec.hours) * 2) / 2)
        moment = joined + (until - joined) * rng.uniform(0.5, 0.95)
        if recorded:
            hours.append((handle, Decimal(str(amount)), moment))
    ratings = _ratings(rng, now, idea, history, members, completed) if completed else []
    return Plan(starts_on, ends_on, milestones, joins, updates, hours, ratings)


def _milestones(rng: random.Random, titles: list[str], starts_on: date, ends_on: date,
                last_day: date) -> list[tuple[str, date, date | None]]:
    """Due dates spread over the project; what fell due by `last_day` is done, close to its due
    date and in order, and the first milestone is always done."""
    length = (ends_on - starts_on).days
    rows, earliest = [], starts_on
    for i, title in enumerate(titles):
        due = starts_on + timedelta(days=round(length * (i + 1) / len(titles)))
        slip = timedelta(days=rng.randint(-3, 2))
        done = None
        if due <= last_day or i == 0:
            done = earliest = min(max(due + slip, earliest), last_day)
        rows.append((title, due, done))
    return rows


def _volunteers(rng: random.Random, idea: Idea, history: History, n: int) -> list[str]:
    """Who joined, in arrival order: mostly the author and supporters, some patrons who only
    came across the project."""
    involved = [h for h in dict.fromkeys([idea.author, *history.supporters]) if h in PATRONS]
    others = [h for h in PATRONS if h not in involved]
    rng.shuffle(involved)
    rng.shuffle(others)
    chosen = []
    for _ in range(n):
        from_involved = rng.random() < 0.65
        chosen.append((involved if involved and (from_involved or not others) else others).pop())
    return chosen


def _ratings(rng: random.Random, now: datetime, idea: Idea, history: History,
             members: list[tuple[str, datetime]], completed: datetime):
    """About half of the supporters and member volunteers rate the outcome, mostly well."""
    spec = OUTCOME_SPECS[idea.key]
    eligible = list(dict.fromkeys([*history.supporters, *(h for h, _ in members)]))
    count = min(len(eligible), max(2, round(len(eligible) * rng.uniform(0.4, 0.7))))
    raters = rng.sample(eligible, count)
    times = _times(rng, completed + timedelta(hours=2), now - timedelta(hours=1), count, 1.5)
    rows = []
    for i, (handle, moment) in enumerate(zip(raters, times, strict=False)):
        stars, comment = rng.choices((5, 4, 3, 2), weights=(55, 32, 10, 3))[0], ""
        if i < len(spec.ratings):
            stars, comment = spec.ratings[i]
        rows.append((handle, stars, comment, moment))
    return rows


def _ensure_users(echo) -> tuple[dict[str, User], int]:
    users, password_hash, created = {}, None, 0
    for handle, name, patron_type, role in USERS:
        user = find_by_email(_email(handle))
        if user is None:
            password_hash = password_hash or hash_password(PASSWORD)  # Argon2 once, not 22 times
            # Demo addresses can never receive mail: keep the outbox empty for them.
            user = User(email=_email(handle), display_name=name, patron_type=patron_type,
                        role=role, password_hash=password_hash, email_frequency="none",
                        email_verified_at=utcnow())
            db.session.add(user)
            created += 1
        users[handle] = user
    db.session.flush()
    echo(f"Demo users: {created} new, {len(USERS) - created} already there.")
    return users, created


def _slugs(model) -> dict[str, int]:
    return dict(db.session.execute(select(model.slug, model.id)).all())


def _load(idea: Idea, history: History, comments: list, users, categories, branches,
          plan: Plan | None) -> None:
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
    project = None
    for action, moment in steps:
        if action == "start":
            project = _start_project(proposal, PROJECT_SPECS[idea.key], plan, users, moment)
        elif action == "complete":
            _complete_project(project, OUTCOME_SPECS[idea.key], plan, users, moment)
        else:
            actor = users[idea.author] if action == "withdraw" else staff
            note = DECISIONS.get(idea.key, "") if action in CLOSING else ""
            lifecycle.transition(proposal, action, by=actor, note=note)
    _backdate(proposal, history, written)


def _at(moment: datetime, proposal: Proposal, call, *args, **kwargs):
    """Make one service call as if at `moment`: the notifications about the proposal and the
    audit entries it wrote are restamped."""
    db.session.flush()
    notified = db.session.scalar(select(func.max(Notification.id))) or 0
    audited = db.session.scalar(select(func.max(AuditEntry.id))) or 0
    result = call(*args, **kwargs)
    db.session.flush()
    db.session.execute(update(Notification).where(
        Notification.id > notified, Notification.proposal_id == proposal.id,
    ).values(created_at=moment))
    db.session.execute(update(AuditEntry).where(AuditEntry.id > audited).values(created_at=moment))
    return result


def _start_project(proposal: Proposal, spec: ProjectSpec, plan: Plan, users,
                   moment: datetime) -> Project:
    """Start the project, then what happened while it ran, in the order it happened: volunteers
    hear only of the updates posted after they joined."""
    lead = users[spec.lead]
    project = _at(moment, proposal, projects.start, proposal, by=lead, goal=spec.goal,
                  volunteer_tasks=spec.volunteer_tasks, places=spec.places,
                  starts_on=plan.starts_on, ends_on=plan.ends_on, lead=lead,
                  milestones=[(title, due) for title, due, _ in plan.milestones])
    project.created_at = moment
    db.session.flush()
    volunteers = {}
    happenings = sorted(
        [(when, "join", handle, None) for handle, when in plan.joins]
        + [(when, "update", body, None) for body, when in plan.updates]
        + [(when, "hours", handle, amount) for handle, amount, when in plan.hours],
        key=lambda row: row[0])
    for when, what, subject, amount in happenings:
        if what == "join":
            projects.join(project, users[subject])
            volunteer = db.session.scalar(select(Volunteer).where(
                Volunteer.project_id == project.id, Volunteer.user_id == users[subject].id))
            volunteer.joined_at = when
            volunteers[subject] = volunteer
        elif what == "update":
            posted = _at(when, proposal, projects.post_update, project, by=lead, body=subject)
            posted.created_at = when
        else:
            _at(when, proposal, projects.record_hours, volunteers[subject], by=lead, hours=amount)
    for milestone, (_, _, done) in zip(project.milestones, plan.milestones, strict=True):
        if done is not None:
            projects.complete_milestone(milestone, by=lead, done_on=done)
    db.session.flush()
    return project


def _complete_project(project: Project, spec: OutcomeSpec, plan: Plan, users,
                      moment: datetime) -> Outcome:
    """Complete with the measured outcome; then some supporters and volunteers rate it."""
    outcome = _at(moment, project.proposal, projects.complete, project, by=project.lead,
                  summary=spec.summary, evidence="\n".join(spec.evidence),
                  indicators=[(name, Decimal(before), Decimal(after), unit)
                              for name, before, after, unit in spec.indicators])
    project.completed_at = outcome.published_at = moment
    db.session.flush()
    for handle, stars, comment, when in plan.ratings:
        rating = projects.rate(outcome, by=users[handle], stars=stars, comment=comment)
        rating.created_at = when
    db.session.flush()
    return outcome


def _backdate(proposal: Proposal, history: History, comments: list[Comment]) -> None:
    """Move everything to when it happened, then recount trending from those moments."""
    events = db.session.scalars(select(ProposalEvent).where(
        ProposalEvent.proposal_id == proposal.id).order_by(ProposalEvent.id)).all()
    event_times = [history.created] + [when for _, when in history.steps]
    for event, moment in zip(events, event_times, strict=True):
        event.created_at = moment
        db.session.execute(update(Notification).where(
            Notification.proposal_id == proposal.id, Notification.status == event.to_status,
            Notification.kind == Kind.STATUS_CHANGED.value,
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
    rng, now = random.Random(SEED), utcnow()  # noqa: S311 - repeatable demo data, not secrets
    stories = []  # drawn even when skipped: a stable story
    for idea in IDEAS:
        comments = [c for c in COMMENTS if c[0] == idea.key]
        stories.append((idea, comments, _history(rng, now, idea, comments)))
    # Drawn after every history, so the proposals keep the story they told before projects
    plans = {idea.key: _plan(rng, now, idea, history)
             for idea, _, history in stories if idea.status in ("in_progress", "completed")}
    existing = dict(db.session.execute(
        select(Proposal.title, Proposal.id).where(Proposal.title.in_([i.title for i in IDEAS]))
    ).all())
    with_project = set(db.session.scalars(select(Project.proposal_id).where(
        Project.proposal_id.in_(existing.values()))))
    new = dict.fromkeys(("proposals", "supports", "comments", "projects", "volunteers",
                         "waiting", "outcomes", "ratings"), 0)
    missing = 0
    for idea, comments, history in stories:
        plan = plans.get(idea.key)
        if idea.title in existing:  # its project, if any, was started with it
            missing += plan is not None and existing[idea.title] not in with_project
            continue
        _load(idea, history, comments, users, categories, branches, plan)
        new["proposals"] += 1
        new["supports"] += len(history.supporters)
        new["comments"] += len(comments)
        if plan is not None:
            places = PROJECT_SPECS[idea.key].places
            new["projects"] += 1
            new["volunteers"] += min(len(plan.joins), places)
            new["waiting"] += max(len(plan.joins) - places, 0)
            new["outcomes"] += idea.status == "completed"
            new["ratings"] += len(plan.ratings)
    echo(f"Demo proposals: {new['proposals']} new, {len(IDEAS) - new['proposals']} already there.")
    echo(f"Demo projects: {new['projects']} new, {len(plans) - new['projects'] - missing} "
         "already there.")
    if missing:
        echo(f"Demo projects: {missing} in-progress or completed demo proposals have no project. "
             "They were loaded before projects existed, and a project can only start from an "
             "accepted proposal: load the demo into an empty database to see them.")
    new_calls = seed_calls(users, categories, branches, now, echo)
    new_calls += seed_questionnaire(users, now, echo)
    if not (new_users or new["proposals"] or new_calls):
        echo("Demo data: already loaded, nothing to add.")
        return False
    workshop_demo.seed(users, branches, next(u for u in users.values() if u.is_staff), echo)
    consultation_demo.seed(users, now, echo)
    rollups.rebuild()  # the stories were moved back to when they happened
    echo(f"Demo data: {new_users} users, {new['proposals']} proposals, {new['supports']} supports, "
         f"{new['comments']} comments, {new['projects']} projects, {new['volunteers']} volunteers "
         f"({new['waiting']} more on waiting lists), {new['outcomes']} outcomes, "
         f"{new['ratings']} ratings.")
    return True
