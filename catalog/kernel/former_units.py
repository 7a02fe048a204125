"""Provinces merged on 1 July 2025, by the code of the province they joined.

People, labels and older decisions still use these names ("cam sành Hà Giang",
"nước mắm Phú Quốc, Kiên Giang"), so search indexes them as places too.
"""
from __future__ import annotations

FORMER_PROVINCES: dict[str, tuple[str, ...]] = {
    "08": ("Hà Giang",), "15": ("Yên Bái",), "19": ("Bắc Kạn",), "24": ("Bắc Giang",),
    "25": ("Vĩnh Phúc", "Hòa Bình"), "31": ("Hải Dương",), "33": ("Thái Bình",),
    "37": ("Hà Nam", "Nam Định"), "44": ("Quảng Bình",), "46": ("Thừa Thiên Huế",), "48": ("Quảng Nam",),
    "51": ("Kon Tum",), "52": ("Bình Định",), "56": ("Ninh Thuận",), "66": ("Phú Yên",),
    "68": ("Đắk Nông", "Bình Thuận"), "75": ("Bình Phước",),
    "79": ("Thành phố Hồ Chí Minh", "Sài Gòn", "Bình Dương", "Bà Rịa - Vũng Tàu"),
    "80": ("Long An",), "82": ("Tiền Giang",), "86": ("Bến Tre", "Trà Vinh"), "91": ("Kiên Giang",),
    "92": ("Sóc Trăng", "Hậu Giang"), "96": ("Bạc Liêu",),
}
