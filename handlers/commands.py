"""The command table: Latin names for Telegram, Chinese keywords, and help lines.

Source: our own command set. Telegram accepts only Latin command names, so each command
also has Chinese keywords that work at the start of a message.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.i18n import N_


@dataclass(frozen=True)
class CommandSpec:
    name: str
    keywords: tuple[str, ...]
    usage: str  # translated: the placeholders (NAME, TEXT) read in the member's language
    summary: str


COMMANDS: tuple[CommandSpec, ...] = (
    CommandSpec("start", ("开始", "加入"), N_("/start [zh|en] [ZONE]"), N_("join the team; set language and time zone")),
    CommandSpec(
        "add",
        ("添加客户", "新客户", "登记客户"),
        N_("/add 名称: … 国家: … 等级: A"),
        N_("register a customer: name, country, state/province, tier, contact, email, phone, birthday, source, note"),
    ),
    CommandSpec("card", ("客户卡片", "查看客户", "卡片"), N_("/card NAME"), N_("show a customer's card")),
    CommandSpec("find", ("查找", "搜索"), N_("/find TEXT"), N_("search your customers")),
    CommandSpec(
        "log",
        ("记录", "跟进记录"),
        N_("/log NAME [email|call|chat|meeting|quote|sample|visit] TEXT"),
        N_("record an interaction; restarts the follow-up clock"),
    ),
    CommandSpec(
        "deal",
        ("商机",),
        N_("/deal NAME 产品: … 数量: … 价格: USD 2.5 FOB Shanghai 阶段: quoted"),
        N_("create or update a deal"),
    ),
    CommandSpec(
        "stage",
        ("阶段", "推进"),
        N_("/stage NAME inquiry|quoted|sample|negotiation|won|lost [原因: …]"),
        N_("move a deal to another stage; won and lost need a reason"),
    ),
    CommandSpec("today", ("今天", "今日"), N_("/today"), N_("today's follow-ups, by priority, with send windows")),
    CommandSpec("done", ("完成", "已跟进"), N_("/done NAME [TEXT]"), N_("mark a follow-up done")),
    CommandSpec("snooze", ("推迟", "稍后"), N_("/snooze NAME 1d|3d|next week|DATE"), N_("postpone a follow-up")),
    CommandSpec(
        "inquiry",
        ("询盘", "新询盘", "登记询盘"),
        N_("/inquiry [NAME 产品: … 数量: … 渠道: alibaba 邮箱: … 电话: … 收到: 2027-03-09 10:00 内容: …]"),
        N_("register an inquiry: reply deadline in your and the buyer's time, price-probe check; alone: open inquiries"),
    ),
    CommandSpec("replied", ("已回复", "回复询盘"), N_("/replied NAME [TEXT]"), N_("mark the customer's inquiry replied")),
    CommandSpec(
        "reply",
        ("回复草稿",),
        N_("/reply NAME [产品: …]"),
        N_("draft an English quotation reply to the customer's latest inquiry or open deal"),
    ),
    CommandSpec(
        "draft",
        ("跟进草稿",),
        N_("/draft NAME [要点: …] [新消息: …]"),
        N_("draft a short English follow-up that fits the deal's stage"),
    ),
    CommandSpec(
        "terms",
        ("条款", "报价条款"),
        N_("/terms [付款: … 交期: … 有效期: 15 起订量: … 签名: …]"),
        N_("the team's standard quotation terms; admins and managers set them"),
    ),
    CommandSpec(
        "check",
        ("检查草稿", "检查"),
        N_("/check [客户: NAME 内容:] TEXT"),
        N_("check a reply draft: price terms, validity, length, attachments, superlatives, exclamation marks, greeting"),
    ),
    CommandSpec(
        "watch",
        ("观察名单", "防套价名单"),
        N_("/watch [add|remove EMAIL|@DOMAIN|PHONE [note]]"),
        N_("the team's watch list of suspected price probers"),
    ),
    CommandSpec(
        "cadence",
        ("跟进周期",),
        N_("/cadence [A|B|C|won|NAME] [DAYS|default]"),
        N_("show the follow-up cadence; set it for a tier (admins, managers) or one customer"),
    ),
    CommandSpec(
        "digest",
        ("日报", "团队日报"),
        N_("/digest here|stop|holidays on|off|names on|off|lead DAYS"),
        N_("team digest in a group; your digest on days off; names in group digests; greeting lead days"),
    ),
    CommandSpec(
        "export",
        ("导出", "导出数据", "导出客户"),
        N_("/export"),
        N_("export the team's customers, deals and interactions to Excel (admins, managers)"),
    ),
    CommandSpec(
        "calendar",
        ("日历", "日历订阅"),
        N_("/calendar [new|off]"),
        N_("your private calendar feed link: follow-ups, birthdays, buyer holidays, inquiry deadlines"),
    ),
    CommandSpec(
        "import",
        ("导入", "导入客户"),
        N_("/import yes|cancel [ID]"),
        N_("import customers: send an .xlsx or .csv sheet, check the preview, then confirm"),
    ),
    CommandSpec("invite", ("邀请", "邀请码"), N_("/invite rep|manager"), N_("create a single-use invitation code, valid 7 days (admins)")),
    CommandSpec("members", ("成员", "团队成员"), N_("/members"), N_("list members with roles and markets (admins, managers)")),
    CommandSpec("role", ("角色",), N_("/role NAME manager|rep"), N_("change a member's role (admins)")),
    CommandSpec(
        "market",
        ("市场", "市场分配"),
        N_("/market [set NAME COUNTRIES | assign|unassign MEMBER MARKET | remove NAME | outside on|off]"),
        N_("markets: groups of countries assigned to reps (admins, managers change them)"),
    ),
    CommandSpec(
        "handover",
        ("交接", "离职交接"),
        N_("/handover @LEAVER @SUCCESSOR [市场: MARKET]"),
        N_("move a leaver's customers, deals, inquiries and reminders; without a market, deactivate the leaver"),
    ),
    CommandSpec(
        "pool",
        ("公海", "客户公海"),
        N_("/pool [days DAYS|cap N]"),
        N_("the team's shared pool of customers left without contact; admins and managers set its rules"),
    ),
    CommandSpec("claim", ("认领", "认领客户"), N_("/claim NAME"), N_("take a customer from the pool (monthly cap)")),
    CommandSpec(
        "audit",
        ("审计", "审计日志"),
        N_("/audit @NAME [DAYS] | limit N"),
        N_("a member's audit log; the bulk-read alert threshold (admins, managers)"),
    ),
    CommandSpec(
        "stats",
        ("统计", "回复统计"),
        N_("/stats [PERIOD] [chart]"),
        N_("reply times per rep and follow-up completion; chart: weekly trend picture (admins, managers)"),
    ),
    CommandSpec(
        "price",
        ("价格表", "报价单"),
        N_("/price PRODUCT [MARKET] | set PRODUCT MARKET PRICE | tolerance PERCENT"),
        N_("list prices per market; managers set them and the quote tolerance"),
    ),
    CommandSpec(
        "pipeline",
        ("销售漏斗", "管道", "漏斗"),
        N_("/pipeline [by stage|rep|market|month] [PERIOD] [chart]"),
        N_("open deals per stage, rep, market or close month, won and lost in the period; chart: funnel picture"),
    ),
    CommandSpec(
        "forecast",
        ("销售预测", "预测"),
        N_("/forecast [PERIOD]"),
        N_("open deals weighted by probability, by expected close month"),
    ),
    CommandSpec("overdue", ("逾期跟进", "逾期"), N_("/overdue [REP]"), N_("overdue follow-ups per rep, oldest first")),
    CommandSpec(
        "top",
        ("重点商机", "优先"),
        N_("/top [N]"),
        N_("open deals by expected return (probability × value), with the reason"),
    ),
    CommandSpec(
        "fx",
        ("汇率",),
        N_("/fx [EUR 7.8 | base CNY]"),
        N_("the team's exchange rates and reporting currency; admins and managers set them"),
    ),
    CommandSpec(
        "link",
        ("关联账号", "绑定账号"),
        N_("/link [CODE]"),
        N_("link your Telegram and Slack accounts: /link gives a code, /link CODE on the other account uses it"),
    ),
    CommandSpec("lang", ("语言",), N_("/lang zh|en"), N_("set your language")),
    CommandSpec("tz", ("时区",), N_("/tz Asia/Shanghai"), N_("set your time zone")),
    CommandSpec("help", ("帮助",), N_("/help"), N_("list the commands")),
)

# /help lists the commands in these sections, in this order. Every command in COMMANDS
# belongs to exactly one section; a test checks that none is missing.
HELP_SECTIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (N_("Customers"), ("add", "card", "find", "log", "import", "export", "pool", "claim", "calendar")),
    (N_("Follow-ups"), ("today", "done", "snooze", "cadence", "digest")),
    (N_("Inquiries and replies"), ("inquiry", "replied", "reply", "draft", "check", "terms", "watch")),
    (N_("Deals and reports"), ("deal", "stage", "price", "pipeline", "forecast", "overdue", "top", "fx", "stats")),
    (N_("Team"), ("members", "invite", "role", "market", "handover", "audit")),
    (N_("You"), ("start", "link", "lang", "tz", "help")),
)

# Commands that only these roles may use; /help hides them from everyone else.
ADMIN_ONLY_COMMANDS = frozenset({"invite", "role"})
MANAGER_ONLY_COMMANDS = frozenset({"export", "members", "handover", "audit", "stats"})

# Internal command behind numbered choices and their buttons; not listed in help.
PICK_COMMAND = "pick"

COMMANDS_BY_NAME = {spec.name: spec for spec in COMMANDS}

# Longest keyword first, so that 客户卡片 wins over a shorter keyword it starts with.
KEYWORDS: tuple[tuple[str, str], ...] = tuple(
    sorted(
        ((keyword, spec.name) for spec in COMMANDS for keyword in spec.keywords),
        key=lambda pair: -len(pair[0]),
    )
)
