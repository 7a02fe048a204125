"""The four real products of Vĩnh Tuy commune (Tuyên Quang), recognised 3 stars in December 2024.

From the commune's 2026 OCOP plan. Hà Giang, which recognised them, merged
into Tuyên Quang on 1 July 2025; the decision keeps its original authority.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

COMMUNE = ("xa", "Vĩnh Tuy", "08")
DECISION = {
    "level": "province", "authority": "UBND tỉnh Hà Giang", "decision_number": "2751/QĐ-UBND",
    "decision_date": dt.date(2024, 12, 20),
}

PRODUCERS = [
    {"key": "anh-tai", "name": "HTX Anh Tài", "kind": "cooperative", "address": "thôn Vĩnh Chính",
     "representative": "Nguyễn Văn Tài"},
    {"key": "duc-tuong", "name": "Hộ kinh doanh Phạm Đức Tương", "kind": "household",
     "address": "thôn Tự Lập", "representative": "Phạm Đức Tương"},
    {"key": "do-khoa", "name": "Cơ sở sản xuất chè Độ Khoa", "kind": "other", "address": "thôn Tân Lập",
     "representative": "Đỗ Văn Khoa"},
]

PRODUCTS = [
    {"producer": "anh-tai", "name": "Cam sành Hà Giang (hộp 5kg)", "product_set": 1,
     "packaging": "hộp 5kg", "standards": ["vietgap"], "score": Decimal("64.5")},
    {"producer": "duc-tuong", "name": "Trà shan tuyết Hợp tâm Tương Mai (gói 200 gram)", "product_set": 11,
     "packaging": "gói 200 gram", "standards": [], "score": Decimal("61")},
    {"producer": "duc-tuong", "name": "Trà shan tuyết đặc biệt Tương Mai", "product_set": 11,
     "packaging": "hộp 100 gram", "standards": [], "score": Decimal("63.5")},
    {"producer": "do-khoa", "name": "Trà San tuyết công phu Độ Khoa (Hộp 200 gram)", "product_set": 11,
     "packaging": "Hộp 200 gram", "standards": ["tcvn"], "score": Decimal("62")},
]

STORIES = {
    "Cam sành Hà Giang (hộp 5kg)": (
        "Cam sành được trồng trên các sườn đồi của thôn Vĩnh Chính, xã Vĩnh Tuy, nơi đất feralit và "
        "sương sớm cho quả vỏ sần, múi mọng và vị ngọt thanh. HTX Anh Tài liên kết các hộ trồng cam "
        "theo quy trình VietGAP và đóng hộp 5kg để đưa cam sành Hà Giang đi xa."),
    "Trà shan tuyết Hợp tâm Tương Mai (gói 200 gram)": (
        "Búp chè shan tuyết được hái từ những cây chè cổ thụ phủ lớp lông tơ trắng như tuyết. "
        "Gia đình ông Phạm Đức Tương ở thôn Tự Lập sao chè thủ công trên chảo gang, giữ hương cốm "
        "và vị chát dịu hậu ngọt."),
    "Trà shan tuyết đặc biệt Tương Mai": (
        "Dòng trà đặc biệt chỉ chọn một tôm hai lá của cây chè shan tuyết lâu năm, làm héo và vò "
        "kỹ bằng tay theo cách các thế hệ trong gia đình vẫn làm."),
    "Trà San tuyết công phu Độ Khoa (Hộp 200 gram)": (
        "Cơ sở sản xuất chè Độ Khoa ở thôn Tân Lập chế biến chè san tuyết theo lối công phu: "
        "búp chè được vò xoăn, sao nhiều lần ở lửa nhỏ để nước trà vàng sánh, hương thơm lâu."),
}
