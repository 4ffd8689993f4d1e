"""Customer sheet columns: the header names reps use, in Chinese and English.

Source: the headers of export reps' own customer sheets (客户名称, 国家/地区, 最近跟进...)
and their usual English equivalents. Import maps a header to a field by these names after
folding case, width and spaces; export writes the first Chinese or English name of each
field, so an exported sheet imports again unchanged.
"""

from __future__ import annotations

# field -> (Chinese headers, English headers); the first of each is what export writes.
SHEET_COLUMNS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "company": (("客户名称", "公司", "公司名称", "客户", "客户公司"), ("Company", "Customer", "Company Name", "Customer Name")),
    "country": (("国家", "地区", "国家/地区", "国家地区"), ("Country", "Region", "Country/Region")),
    "subdivision": (("州/省", "州", "省"), ("State/Province", "State", "Province")),
    "zone": (("时区",), ("Time Zone", "Timezone", "Zone")),
    # Import reads the city only to pick the zone of a country with several; it is not stored.
    "city": (("城市", "所在城市"), ("City",)),
    "contact": (("联系人", "联系人姓名"), ("Contact", "Contact Name", "Contact Person")),
    "role": (("职位", "职务"), ("Title", "Position", "Role")),
    "email": (("邮箱", "电子邮件", "邮件", "电邮"), ("Email", "E-mail", "Mail")),
    "phone": (("电话", "手机", "WhatsApp", "联系电话", "电话/手机"), ("Phone", "Mobile", "Tel", "Telephone", "WhatsApp")),
    "birthday": (("生日",), ("Birthday", "Date of Birth", "DOB")),
    "tier": (("等级", "客户等级", "级别"), ("Tier", "Level", "Grade")),
    "source": (("来源", "客户来源"), ("Source", "Lead Source")),
    "last_contact": (("最后联系", "最近跟进", "最后联系时间", "最近联系", "上次跟进"), ("Last Contact", "Last Follow-up", "Last Contacted")),
    "note": (("备注", "说明"), ("Note", "Notes", "Remarks", "Comment")),
    "tags": (("标签",), ("Tags",)),
    "owner": (("负责人", "业务员"), ("Owner", "Sales Rep")),
}


def export_header(field: str, locale: str) -> str:
    """Return the header that export writes for `field` in `locale` (zh_CN or en)."""
    chinese, english = SHEET_COLUMNS[field]
    return chinese[0] if locale == "zh_CN" else english[0]


# Headers of columns that only number the rows (序号, No.). Import skips them without asking.
ROW_NUMBER_HEADERS: tuple[str, ...] = ("序号", "编号", "行号", "No.", "No", "#", "S/N", "Index")
