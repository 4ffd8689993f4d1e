"""Customer sheet columns: the header names reps use, in Chinese and English.

Source: the headers of export reps' own customer sheets (客户名称, 国家/地区, 最近跟进...),
their common variants (出生日期, 客户级别, 上次联系时间, 所在国家, 联系方式), and their usual
English equivalents. Import maps a header to a field by these names after folding case,
width and spaces. Export writes the first Chinese or English name of each field, so an
exported sheet imports again unchanged.
"""

from __future__ import annotations

# field -> (Chinese headers, English headers); the first of each is what export writes.
SHEET_COLUMNS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "company": (
        ("客户名称", "公司", "公司名称", "客户", "客户公司", "公司名", "客户名", "买家", "采购商"),
        ("Company", "Customer", "Company Name", "Customer Name", "Buyer", "Account", "Client"),
    ),
    "country": (
        ("国家", "地区", "国家/地区", "国家地区", "所在国家", "所在国", "国别", "国家或地区"),
        ("Country", "Region", "Country/Region", "Nation"),
    ),
    "subdivision": (("州/省", "州", "省", "省份"), ("State/Province", "State", "Province")),
    "zone": (("时区",), ("Time Zone", "Timezone", "Zone")),
    # Import reads the city only to pick the zone of a country with several; it is not stored.
    "city": (("城市", "所在城市"), ("City",)),
    "contact": (("联系人", "联系人姓名", "姓名"), ("Contact", "Contact Name", "Contact Person", "Name")),
    "role": (("职位", "职务"), ("Title", "Position", "Role", "Job Title")),
    "email": (("邮箱", "电子邮件", "邮件", "电邮", "邮箱地址"), ("Email", "E-mail", "Mail", "E-mail Address", "Email Address")),
    "phone": (
        ("电话", "手机", "WhatsApp", "联系电话", "电话/手机", "联系方式", "手机号", "电话号码"),
        ("Phone", "Mobile", "Tel", "Telephone", "WhatsApp", "Phone Number", "Cell"),
    ),
    "birthday": (("生日", "出生日期", "生日(月/日)"), ("Birthday", "Date of Birth", "DOB", "Birth Date")),
    "tier": (("等级", "客户等级", "级别", "客户级别", "客户分级"), ("Tier", "Level", "Grade", "Customer Level")),
    "source": (("来源", "客户来源"), ("Source", "Lead Source")),
    "last_contact": (
        ("最后联系", "最近跟进", "最后联系时间", "最近联系", "上次跟进", "上次联系时间", "最后联系日期", "最近联系日期", "上次联系"),
        ("Last Contact", "Last Follow-up", "Last Contacted", "Last Contact Date"),
    ),
    "note": (("备注", "说明"), ("Note", "Notes", "Remarks", "Comment", "Comments")),
    "tags": (("标签",), ("Tags",)),
    "owner": (("负责人", "业务员"), ("Owner", "Sales Rep")),
}

# Chat ids have no field of their own: these columns fill the note, each line under its header.
CHAT_ID_HEADERS: tuple[str, ...] = ("微信", "微信号", "WeChat", "WeChat ID", "Skype")

# Keywords that name a field inside a longer header ("客户出生日期", "Buyer email"). They are
# tried in this order when no name above matches. Each entry is (field, words of which one
# must occur, words of which one must also occur).
HEADER_KEYWORDS: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = (
    ("last_contact", ("联系", "跟进", "contact", "follow"), ("时间", "日期", "date", "last", "最后", "最近", "上次")),
    ("birthday", ("生日", "出生", "birth"), ()),
    ("country", ("国家", "country"), ()),
    ("tier", ("级别", "等级", "level", "grade", "tier"), ()),
    ("email", ("email", "e-mail", "邮箱", "邮件"), ()),
    ("phone", ("phone", "电话", "手机", "whatsapp", "mobile", "tel"), ()),
)

# Fields that several columns may fill: every note column joins the note under its
# header, and phones after the first valid one join it too.
MULTI_COLUMN_FIELDS = frozenset({"note", "phone"})

# Cell values that mean "nothing here" in any optional column. Source: the tester's sheets.
PLACEHOLDERS = frozenset({"无", "-", "--", "—", "——", "/", "n/a", "na", "暂无", "null", "none", "没有", "nil", "#n/a"})
# "0" is a placeholder only where no value can be 0.
ZERO_PLACEHOLDER_FIELDS = frozenset({"phone", "email", "birthday", "last_contact"})

# A header that the hint for a missing required column suggests mapping: one that the
# names above do not know, so the example shows what a caption is for.
MISSING_COLUMN_EXAMPLES: dict[str, str] = {"company": "单位名称", "country": "目的国"}


def export_header(field: str, locale: str) -> str:
    """Return the header that export writes for `field` in `locale` (zh_CN or en)."""
    chinese, english = SHEET_COLUMNS[field]
    return chinese[0] if locale == "zh_CN" else english[0]


# Headers of columns that only number the rows (序号, No.). Import skips them without asking.
ROW_NUMBER_HEADERS: tuple[str, ...] = ("序号", "编号", "行号", "No.", "No", "#", "S/N", "Index")
