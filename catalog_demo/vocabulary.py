"""Vietnamese vocabulary for the deterministic OCOP demo-data generator.

Pure data: places after the 1 July 2025 reorganisation (34 provincial units,
two-level local government), people's names, brand words, producer-name
templates, product bases with typical packaging for the 26 product sets,
famous local specialties, descriptions and product stories.

Template placeholders (``str.format``):

* ``PRODUCER_TEMPLATES``: ``{brand}``, ``{person}``, ``{place}``
* ``SECTOR_DESCRIPTIONS``: ``{product}``, ``{producer}``, ``{place}``, ``{packaging}``
* ``STORY_TEMPLATES``: ``{product}``, ``{producer}``, ``{place}``, ``{province}``,
  ``{year}``, ``{person}``

Lists are ordered roughly from most to least common where that matters
(family names first of all), so a generator may weight by position.
Commune names follow the Ministry of Home Affairs list of new units as
published in June 2025; a few may differ slightly from the final resolutions.
"""
from __future__ import annotations

# ---------------------------------------------------------------------------
# Communes, wards and special zones, by province code (after 1 July 2025).
# Kinds: "xa" (xã), "phuong" (phường), "dac_khu" (đặc khu). Names without prefix.
# ---------------------------------------------------------------------------

COMMUNES: dict[str, tuple[tuple[str, str], ...]] = {
    "01": (  # Hà Nội
        ("phuong", "Hoàn Kiếm"), ("phuong", "Tây Hồ"), ("phuong", "Hà Đông"), ("phuong", "Sơn Tây"),
        ("xa", "Bát Tràng"), ("xa", "Gia Lâm"), ("xa", "Đông Anh"), ("xa", "Ba Vì"),
        ("xa", "Hương Sơn"), ("xa", "Mỹ Đức"), ("xa", "Thường Tín"), ("xa", "Phú Xuyên"),
        ("xa", "Chương Dương"), ("xa", "Vân Đình"),
    ),
    "04": (  # Cao Bằng
        ("phuong", "Thục Phán"), ("phuong", "Nùng Trí Cao"), ("phuong", "Tân Giang"),
        ("xa", "Trùng Khánh"), ("xa", "Quảng Uyên"), ("xa", "Hòa An"), ("xa", "Trà Lĩnh"),
        ("xa", "Bảo Lạc"), ("xa", "Nguyên Bình"), ("xa", "Hạ Lang"), ("xa", "Thạch An"),
        ("xa", "Đàm Thủy"),
    ),
    "08": (  # Tuyên Quang (gồm Hà Giang cũ)
        ("phuong", "Minh Xuân"), ("phuong", "Nông Tiến"), ("phuong", "Hà Giang 1"),
        ("xa", "Vĩnh Tuy"), ("xa", "Bắc Quang"), ("xa", "Hàm Yên"), ("xa", "Chiêm Hóa"),
        ("xa", "Nà Hang"), ("xa", "Sơn Dương"), ("xa", "Tân Trào"), ("xa", "Đồng Văn"),
        ("xa", "Mèo Vạc"), ("xa", "Hoàng Su Phì"), ("xa", "Quản Bạ"),
    ),
    "11": (  # Điện Biên
        ("phuong", "Điện Biên Phủ"), ("phuong", "Mường Thanh"), ("phuong", "Mường Lay"),
        ("xa", "Thanh Nưa"), ("xa", "Thanh An"), ("xa", "Tuần Giáo"), ("xa", "Mường Ảng"),
        ("xa", "Tủa Chùa"), ("xa", "Mường Phăng"), ("xa", "Mường Chà"), ("xa", "Mường Nhé"),
        ("xa", "Sam Mứn"),
    ),
    "12": (  # Lai Châu
        ("phuong", "Tân Phong"), ("phuong", "Đoàn Kết"),
        ("xa", "Than Uyên"), ("xa", "Tân Uyên"), ("xa", "Phong Thổ"), ("xa", "Sìn Hồ"),
        ("xa", "Mường Tè"), ("xa", "Bình Lư"), ("xa", "Mường Kim"), ("xa", "Nậm Tăm"),
        ("xa", "Tả Lèng"), ("xa", "Khun Há"),
    ),
    "14": (  # Sơn La
        ("phuong", "Tô Hiệu"), ("phuong", "Chiềng An"), ("phuong", "Mộc Châu"),
        ("phuong", "Thảo Nguyên"), ("phuong", "Vân Sơn"),
        ("xa", "Mai Sơn"), ("xa", "Yên Châu"), ("xa", "Thuận Châu"), ("xa", "Sông Mã"),
        ("xa", "Phù Yên"), ("xa", "Vân Hồ"), ("xa", "Tà Xùa"), ("xa", "Bắc Yên"),
    ),
    "15": (  # Lào Cai (gồm Yên Bái cũ)
        ("phuong", "Lào Cai"), ("phuong", "Cam Đường"), ("phuong", "Sa Pa"),
        ("phuong", "Yên Bái"), ("phuong", "Nghĩa Lộ"),
        ("xa", "Bắc Hà"), ("xa", "Bát Xát"), ("xa", "Mường Khương"), ("xa", "Y Tý"),
        ("xa", "Tả Van"), ("xa", "Văn Chấn"), ("xa", "Trạm Tấu"), ("xa", "Mù Cang Chải"),
        ("xa", "Lục Yên"),
    ),
    "19": (  # Thái Nguyên (gồm Bắc Kạn cũ)
        ("phuong", "Phan Đình Phùng"), ("phuong", "Gia Sàng"), ("phuong", "Sông Công"),
        ("phuong", "Phổ Yên"), ("phuong", "Bắc Kạn"),
        ("xa", "Tân Cương"), ("xa", "La Bằng"), ("xa", "Đại Từ"), ("xa", "Định Hóa"),
        ("xa", "Phú Lương"), ("xa", "Võ Nhai"), ("xa", "Ba Bể"), ("xa", "Chợ Đồn"),
        ("xa", "Na Rì"),
    ),
    "20": (  # Lạng Sơn
        ("phuong", "Đông Kinh"), ("phuong", "Tam Thanh"), ("phuong", "Lương Văn Tri"),
        ("xa", "Hữu Lũng"), ("xa", "Chi Lăng"), ("xa", "Lộc Bình"), ("xa", "Bắc Sơn"),
        ("xa", "Văn Quan"), ("xa", "Tràng Định"), ("xa", "Đồng Đăng"), ("xa", "Mẫu Sơn"),
        ("xa", "Bình Gia"), ("xa", "Cao Lộc"), ("xa", "Na Sầm"),
    ),
    "22": (  # Quảng Ninh
        ("phuong", "Hạ Long"), ("phuong", "Bãi Cháy"), ("phuong", "Hồng Gai"),
        ("phuong", "Cẩm Phả"), ("phuong", "Uông Bí"), ("phuong", "Móng Cái 1"),
        ("phuong", "Quảng Yên"), ("phuong", "Đông Triều"),
        ("xa", "Tiên Yên"), ("xa", "Đầm Hà"), ("xa", "Ba Chẽ"), ("xa", "Bình Liêu"),
        ("dac_khu", "Vân Đồn"), ("dac_khu", "Cô Tô"),
    ),
    "24": (  # Bắc Ninh (gồm Bắc Giang cũ)
        ("phuong", "Kinh Bắc"), ("phuong", "Từ Sơn"), ("phuong", "Bắc Giang"),
        ("phuong", "Thuận Thành"), ("phuong", "Chũ"), ("phuong", "Đồng Nguyên"),
        ("xa", "Lục Ngạn"), ("xa", "Phù Lãng"), ("xa", "Yên Thế"), ("xa", "Tân Yên"),
        ("xa", "Lục Nam"), ("xa", "Gia Bình"), ("xa", "Phật Tích"), ("xa", "Sơn Động"),
    ),
    "25": (  # Phú Thọ (gồm Vĩnh Phúc, Hòa Bình cũ)
        ("phuong", "Việt Trì"), ("phuong", "Phú Thọ"), ("phuong", "Vĩnh Yên"),
        ("phuong", "Phúc Yên"), ("phuong", "Hòa Bình"),
        ("xa", "Tam Đảo"), ("xa", "Đoan Hùng"), ("xa", "Thanh Sơn"), ("xa", "Tân Sơn"),
        ("xa", "Long Cốc"), ("xa", "Mai Châu"), ("xa", "Cao Phong"), ("xa", "Lạc Sơn"),
        ("xa", "Kim Bôi"),
    ),
    "31": (  # Hải Phòng (gồm Hải Dương cũ)
        ("phuong", "Hồng Bàng"), ("phuong", "Kiến An"), ("phuong", "Đồ Sơn"),
        ("phuong", "Thủy Nguyên"), ("phuong", "Hải Dương"), ("phuong", "Chí Linh"),
        ("xa", "Thanh Hà"), ("xa", "Tiên Lãng"), ("xa", "Vĩnh Bảo"), ("xa", "Ninh Giang"),
        ("xa", "Gia Lộc"), ("xa", "Kim Thành"),
        ("dac_khu", "Cát Hải"), ("dac_khu", "Bạch Long Vĩ"),
    ),
    "33": (  # Hưng Yên (gồm Thái Bình cũ)
        ("phuong", "Phố Hiến"), ("phuong", "Sơn Nam"), ("phuong", "Mỹ Hào"),
        ("phuong", "Thái Bình"), ("phuong", "Trà Lý"),
        ("xa", "Khoái Châu"), ("xa", "Văn Giang"), ("xa", "Yên Mỹ"), ("xa", "Tiên Lữ"),
        ("xa", "Kiến Xương"), ("xa", "Vũ Thư"), ("xa", "Hưng Hà"), ("xa", "Thái Thụy"),
        ("xa", "Quỳnh Phụ"),
    ),
    "37": (  # Ninh Bình (gồm Nam Định, Hà Nam cũ)
        ("phuong", "Hoa Lư"), ("phuong", "Tam Điệp"), ("phuong", "Nam Định"),
        ("phuong", "Thiên Trường"), ("phuong", "Phủ Lý"), ("phuong", "Kim Bảng"),
        ("xa", "Gia Viễn"), ("xa", "Nho Quan"), ("xa", "Cúc Phương"), ("xa", "Kim Sơn"),
        ("xa", "Yên Mô"), ("xa", "Hải Hậu"), ("xa", "Giao Thủy"), ("xa", "Vụ Bản"),
    ),
    "38": (  # Thanh Hóa
        ("phuong", "Hạc Thành"), ("phuong", "Sầm Sơn"), ("phuong", "Bỉm Sơn"),
        ("phuong", "Nghi Sơn"),
        ("xa", "Nga Sơn"), ("xa", "Hoằng Hóa"), ("xa", "Thọ Xuân"), ("xa", "Triệu Sơn"),
        ("xa", "Ngọc Lặc"), ("xa", "Cẩm Thủy"), ("xa", "Bá Thước"), ("xa", "Pù Luông"),
        ("xa", "Quan Sơn"), ("xa", "Như Thanh"),
    ),
    "40": (  # Nghệ An
        ("phuong", "Thành Vinh"), ("phuong", "Trường Vinh"), ("phuong", "Cửa Lò"),
        ("phuong", "Hoàng Mai"), ("phuong", "Thái Hòa"),
        ("xa", "Nam Đàn"), ("xa", "Kim Liên"), ("xa", "Diễn Châu"), ("xa", "Quỳnh Lưu"),
        ("xa", "Đô Lương"), ("xa", "Anh Sơn"), ("xa", "Con Cuông"), ("xa", "Nghĩa Đàn"),
        ("xa", "Quế Phong"),
    ),
    "42": (  # Hà Tĩnh
        ("phuong", "Thành Sen"), ("phuong", "Trần Phú"), ("phuong", "Bắc Hồng Lĩnh"),
        ("phuong", "Vũng Áng"),
        ("xa", "Hương Sơn"), ("xa", "Hương Khê"), ("xa", "Phúc Trạch"), ("xa", "Vũ Quang"),
        ("xa", "Can Lộc"), ("xa", "Nghi Xuân"), ("xa", "Tiên Điền"), ("xa", "Đức Thọ"),
        ("xa", "Cẩm Xuyên"), ("xa", "Thạch Hà"),
    ),
    "44": (  # Quảng Trị (gồm Quảng Bình cũ)
        ("phuong", "Đồng Hới"), ("phuong", "Đông Hà"), ("phuong", "Quảng Trị"),
        ("phuong", "Ba Đồn"),
        ("xa", "Phong Nha"), ("xa", "Bố Trạch"), ("xa", "Lệ Thủy"), ("xa", "Vĩnh Linh"),
        ("xa", "Gio Linh"), ("xa", "Cam Lộ"), ("xa", "Khe Sanh"), ("xa", "Hướng Phùng"),
        ("xa", "Cửa Tùng"), ("dac_khu", "Cồn Cỏ"),
    ),
    "46": (  # Huế
        ("phuong", "Phú Xuân"), ("phuong", "Thuận Hóa"), ("phuong", "Kim Long"),
        ("phuong", "Vỹ Dạ"), ("phuong", "Thủy Xuân"), ("phuong", "Thuận An"),
        ("phuong", "Hương Trà"), ("phuong", "Hương Thủy"), ("phuong", "Phong Điền"),
        ("xa", "Phú Vang"), ("xa", "Quảng Điền"), ("xa", "Phú Lộc"), ("xa", "A Lưới 1"),
        ("xa", "Nam Đông"),
    ),
    "48": (  # Đà Nẵng (gồm Quảng Nam cũ)
        ("phuong", "Hải Châu"), ("phuong", "Sơn Trà"), ("phuong", "Ngũ Hành Sơn"),
        ("phuong", "Hòa Khánh"), ("phuong", "Hội An"), ("phuong", "Tam Kỳ"),
        ("phuong", "Điện Bàn"),
        ("xa", "Hòa Vang"), ("xa", "Bà Nà"), ("xa", "Duy Xuyên"), ("xa", "Đại Lộc"),
        ("xa", "Thăng Bình"), ("xa", "Nam Phước"), ("xa", "Trà My"),
    ),
    "51": (  # Quảng Ngãi (gồm Kon Tum cũ)
        ("phuong", "Cẩm Thành"), ("phuong", "Nghĩa Lộ"), ("phuong", "Đức Phổ"),
        ("phuong", "Sa Huỳnh"), ("phuong", "Kon Tum"),
        ("xa", "Bình Sơn"), ("xa", "Tư Nghĩa"), ("xa", "Mộ Đức"), ("xa", "Trà Bồng"),
        ("xa", "Ba Tơ"), ("xa", "Măng Đen"), ("xa", "Ngọc Linh"), ("xa", "Đăk Hà"),
        ("dac_khu", "Lý Sơn"),
    ),
    "52": (  # Gia Lai (gồm Bình Định cũ)
        ("phuong", "Pleiku"), ("phuong", "Quy Nhơn"), ("phuong", "An Nhơn"),
        ("phuong", "Bồng Sơn"), ("phuong", "An Khê"), ("phuong", "Tam Quan"),
        ("xa", "Chư Sê"), ("xa", "Chư Prông"), ("xa", "Đak Đoa"), ("xa", "Ia Grai"),
        ("xa", "Kbang"), ("xa", "Tây Sơn"), ("xa", "Phù Cát"), ("xa", "Tuy Phước"),
    ),
    "56": (  # Khánh Hòa (gồm Ninh Thuận cũ)
        ("phuong", "Nha Trang"), ("phuong", "Bắc Nha Trang"), ("phuong", "Cam Ranh"),
        ("phuong", "Ninh Hòa"), ("phuong", "Phan Rang"), ("phuong", "Ninh Chử"),
        ("xa", "Diên Khánh"), ("xa", "Vạn Ninh"), ("xa", "Cam Lâm"), ("xa", "Khánh Sơn"),
        ("xa", "Khánh Vĩnh"), ("xa", "Ninh Hải"), ("xa", "Ninh Phước"), ("xa", "Cà Ná"),
    ),
    "66": (  # Đắk Lắk (gồm Phú Yên cũ)
        ("phuong", "Buôn Ma Thuột"), ("phuong", "Tân An"), ("phuong", "Buôn Hồ"),
        ("phuong", "Tuy Hòa"), ("phuong", "Sông Cầu"),
        ("xa", "Krông Pắc"), ("xa", "Ea Kar"), ("xa", "Buôn Đôn"), ("xa", "Liên Sơn Lắk"),
        ("xa", "Krông Năng"), ("xa", "Ea Tul"), ("xa", "Đồng Xuân"), ("xa", "Tây Hòa"),
        ("xa", "Ô Loan"),
    ),
    "68": (  # Lâm Đồng (gồm Bình Thuận, Đắk Nông cũ)
        ("phuong", "Xuân Hương - Đà Lạt"), ("phuong", "Lâm Viên - Đà Lạt"),
        ("phuong", "Phan Thiết"), ("phuong", "Mũi Né"), ("phuong", "La Gi"),
        ("phuong", "Bắc Gia Nghĩa"),
        ("xa", "Đức Trọng"), ("xa", "Di Linh"), ("xa", "Đơn Dương"), ("xa", "Lạc Dương"),
        ("xa", "Đắk Mil"), ("xa", "Tuy Phong"), ("xa", "Hàm Thuận Bắc"),
        ("dac_khu", "Phú Quý"),
    ),
    "75": (  # Đồng Nai (gồm Bình Phước cũ)
        ("phuong", "Biên Hòa"), ("phuong", "Trấn Biên"), ("phuong", "Tân Triều"),
        ("phuong", "Long Khánh"), ("phuong", "Đồng Xoài"), ("phuong", "Bình Long"),
        ("phuong", "Phước Long"),
        ("xa", "Long Thành"), ("xa", "Xuân Lộc"), ("xa", "Định Quán"), ("xa", "Tân Phú"),
        ("xa", "Nam Cát Tiên"), ("xa", "Lộc Ninh"), ("xa", "Bù Đăng"),
    ),
    "79": (  # Thành phố Hồ Chí Minh (gồm Bình Dương, Bà Rịa - Vũng Tàu cũ)
        ("phuong", "Sài Gòn"), ("phuong", "Thủ Đức"), ("phuong", "Thủ Dầu Một"),
        ("phuong", "Lái Thiêu"), ("phuong", "Vũng Tàu"), ("phuong", "Bà Rịa"),
        ("xa", "Củ Chi"), ("xa", "Hóc Môn"), ("xa", "Nhà Bè"), ("xa", "Cần Giờ"),
        ("xa", "Dầu Tiếng"), ("xa", "Long Hải"), ("xa", "Châu Đức"),
        ("dac_khu", "Côn Đảo"),
    ),
    "80": (  # Tây Ninh (gồm Long An cũ)
        ("phuong", "Tân Ninh"), ("phuong", "Hòa Thành"), ("phuong", "Trảng Bàng"),
        ("phuong", "Gò Dầu"), ("phuong", "Long An"), ("phuong", "Tân An"),
        ("phuong", "Kiến Tường"),
        ("xa", "Châu Thành"), ("xa", "Tân Biên"), ("xa", "Dương Minh Châu"), ("xa", "Bến Lức"),
        ("xa", "Cần Giuộc"), ("xa", "Cần Đước"), ("xa", "Đức Hòa"),
    ),
    "82": (  # Đồng Tháp (gồm Tiền Giang cũ)
        ("phuong", "Cao Lãnh"), ("phuong", "Sa Đéc"), ("phuong", "Hồng Ngự"),
        ("phuong", "Mỹ Tho"), ("phuong", "Gò Công"), ("phuong", "Cai Lậy"),
        ("xa", "Lai Vung"), ("xa", "Lấp Vò"), ("xa", "Tháp Mười"), ("xa", "Tràm Chim"),
        ("xa", "Tân Hồng"), ("xa", "Cái Bè"), ("xa", "Chợ Gạo"), ("xa", "Vĩnh Kim"),
    ),
    "86": (  # Vĩnh Long (gồm Bến Tre, Trà Vinh cũ)
        ("phuong", "Long Châu"), ("phuong", "Phước Hậu"), ("phuong", "Thanh Đức"),
        ("phuong", "Bình Minh"), ("phuong", "Bến Tre"), ("phuong", "Trà Vinh"),
        ("xa", "Trà Ôn"), ("xa", "Mỏ Cày"), ("xa", "Chợ Lách"), ("xa", "Ba Tri"),
        ("xa", "Giồng Trôm"), ("xa", "Cầu Kè"), ("xa", "Tiểu Cần"), ("xa", "Cầu Ngang"),
    ),
    "91": (  # An Giang (gồm Kiên Giang cũ)
        ("phuong", "Long Xuyên"), ("phuong", "Châu Đốc"), ("phuong", "Tân Châu"),
        ("phuong", "Tịnh Biên"), ("phuong", "Rạch Giá"), ("phuong", "Hà Tiên"),
        ("xa", "Chợ Mới"), ("xa", "Tri Tôn"), ("xa", "Núi Cấm"), ("xa", "Ba Chúc"),
        ("xa", "Kiên Lương"), ("xa", "U Minh Thượng"),
        ("dac_khu", "Phú Quốc"), ("dac_khu", "Kiên Hải"),
    ),
    "92": (  # Cần Thơ (gồm Sóc Trăng, Hậu Giang cũ)
        ("phuong", "Ninh Kiều"), ("phuong", "Cái Răng"), ("phuong", "Bình Thủy"),
        ("phuong", "Thốt Nốt"), ("phuong", "Sóc Trăng"), ("phuong", "Vĩnh Châu"),
        ("phuong", "Vị Thanh"), ("phuong", "Ngã Bảy"),
        ("xa", "Phong Điền"), ("xa", "Cờ Đỏ"), ("xa", "Kế Sách"), ("xa", "Cù Lao Dung"),
        ("xa", "Trần Đề"), ("xa", "Phụng Hiệp"),
    ),
    "96": (  # Cà Mau (gồm Bạc Liêu cũ)
        ("phuong", "An Xuyên"), ("phuong", "Tân Thành"), ("phuong", "Bạc Liêu"),
        ("phuong", "Giá Rai"), ("phuong", "Hiệp Thành"),
        ("xa", "Năm Căn"), ("xa", "Đất Mũi"), ("xa", "U Minh"), ("xa", "Cái Nước"),
        ("xa", "Đầm Dơi"), ("xa", "Trần Văn Thời"), ("xa", "Sông Đốc"), ("xa", "Hồng Dân"),
        ("xa", "Phước Long"),
    ),
}

# ---------------------------------------------------------------------------
# Hamlets / residential groups, with their prefix, from all regions.
# ---------------------------------------------------------------------------

VILLAGES: tuple[str, ...] = (
    # Đồng bằng và trung du Bắc Bộ
    "thôn Vĩnh Chính", "thôn Đông Dư", "thôn Kim Lũ", "thôn Yên Thịnh", "thôn Phú Mỹ",
    "thôn Tân Lập", "thôn Đồng Tâm", "thôn An Lạc", "thôn Quyết Tiến", "thôn Trung Hòa",
    "thôn Đông Cao", "thôn Hạ Hiệp", "thôn Thượng Lâm", "thôn Lũng Hòa", "thôn Đoài",
    "xóm Chùa", "xóm Bến", "xóm Mới", "xóm Giữa", "xóm Đồng Cả",
    "làng Chuông", "làng Vòng",
    # Miền núi phía Bắc
    "bản Lác", "bản Hua Tát", "bản Cát Cát", "bản Mển", "bản Phiêng Lanh",
    "bản Nà Ca", "bản Tả Phìn", "bản Pác Ngòi", "thôn Nậm Đăm", "bản Nà Phòn",
    "bản Sin Suối Hồ", "bản Áng", "thôn Khuổi Ky", "thôn Lũng Cẩm",
    # Miền Trung và Tây Nguyên
    "thôn Phước Thạnh", "thôn Mỹ Lợi", "thôn Trà Quế", "thôn Thanh Tân", "thôn Đông Hòa",
    "làng Ốp", "làng Kon Tu Dốp", "buôn Ako Dhông", "buôn Trí A", "buôn Kô Tam",
    "buôn Tring", "làng Kon Klor", "thôn Đức Hòa",
    # Nam Bộ
    "ấp Tân Thạnh", "ấp Mỹ Hòa", "ấp Phú An", "ấp Long Thạnh", "ấp Bình Hòa",
    "ấp Tân Bình", "ấp Thạnh Lợi", "ấp Vĩnh Phước", "ấp Hòa Lợi", "ấp Cái Sơn",
    "ấp Rạch Gốc", "ấp Kinh Mới", "ấp An Thới", "ấp Phước Hưng", "ấp Thới Hòa",
    # Khu dân cư đô thị
    "tổ dân phố 3", "tổ dân phố 7", "tổ dân phố 12", "tổ dân phố Đoàn Kết",
    "tổ dân phố Tân Tiến", "khóm 2", "khóm 5", "khóm Châu Long", "khóm Vĩnh Mỹ",
    "khu phố 4", "khu phố Bình Minh",
)

# ---------------------------------------------------------------------------
# People's names (most common first).
# ---------------------------------------------------------------------------

FAMILY_NAMES: tuple[str, ...] = (
    "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng",
    "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý", "Đinh", "Trịnh", "Đoàn", "Lương",
    "Mai", "Trương", "Cao", "Lâm", "Tạ", "Hà", "Vương", "Chu", "Tô", "Triệu",
    "Quách", "Thái", "Kiều", "Nông", "Lò", "Lường", "Sùng", "Giàng", "Vàng", "Lục",
)

MIDDLE_NAMES: tuple[str, ...] = (
    "Văn", "Thị", "Đức", "Minh", "Thanh", "Ngọc", "Hữu", "Quang", "Xuân", "Thu",
    "Công", "Đình", "Kim", "Mạnh", "Trọng", "Thùy", "Bá", "Gia", "Bảo", "Hồng",
    "Quốc", "Diệu", "Như", "Tiến",
)

GIVEN_NAMES: tuple[str, ...] = (
    "Anh", "An", "Bình", "Châu", "Chi", "Cường", "Dũng", "Dung", "Duy", "Đạt",
    "Điệp", "Giang", "Hà", "Hải", "Hạnh", "Hằng", "Hiền", "Hiếu", "Hoa", "Hòa",
    "Hoàng", "Hùng", "Hưng", "Hương", "Huyền", "Khánh", "Khoa", "Khôi", "Kiên", "Lan",
    "Linh", "Loan", "Long", "Lộc", "Lợi", "Mai", "My", "Nam", "Nga", "Ngân",
    "Nghĩa", "Nhung", "Phong", "Phúc", "Phương", "Quân", "Quyên", "Quỳnh", "Sơn", "Tài",
    "Tâm", "Thảo", "Thắng", "Thành", "Thủy", "Toàn", "Trang", "Trung", "Tuấn", "Tùng",
    "Tương", "Uyên", "Vân", "Việt", "Vinh", "Yến", "Hậu", "Nhàn", "Sáng", "Thoa",
)

# ---------------------------------------------------------------------------
# Words that make cooperative, company and brand names.
# ---------------------------------------------------------------------------

BRAND_WORDS: tuple[str, ...] = (
    "Anh Tài", "Hợp Tâm", "Tân Phát", "Phúc Lộc", "Hồng Hà", "Sơn Thủy", "Kim Long", "An Phú",
    "Độ Khoa", "Tương Mai", "Thành Đạt", "Hưng Thịnh", "Phú Quý", "Minh Phát", "Tân Tiến",
    "Bình An", "Thịnh Vượng", "Đại Phát", "Hoàng Gia", "Ngọc Lan", "Thiên Phú", "Phát Đạt",
    "Hòa Bình", "Xuân Mai", "Đức Thành", "Việt Hưng", "Nam Việt", "Sao Việt", "Hương Quê",
    "Quê Hương", "Đất Việt", "Lộc Phát", "Tài Lộc", "Vạn Phúc", "Trường Sinh", "Thuận Phát",
    "Thuận An", "Hải Đăng", "Minh Khang", "Bảo Ngọc", "Tâm An", "Tâm Đức", "Hoa Sen",
    "Sen Vàng", "Suối Tiên", "Đồng Xanh", "Làng Xanh", "Xanh Việt", "Hoàng Long", "Hưng Phát",
    "Phú Thịnh", "Trung Thành", "Tây Bắc", "Đông Bắc", "Cao Nguyên", "Miền Tây", "Trường Thịnh",
    "Phương Nam", "Thiên Ân", "An Khang", "Khang Thịnh", "Gia Bảo", "Gia Hưng", "Gia Phúc",
    "Hồng Phúc", "Hồng Phát", "Phúc Hưng", "Phúc Thịnh", "Nhật Minh", "Nhật Quang",
    "Ánh Dương", "Bình Minh", "Hừng Đông", "Núi Ngọc", "Ngọc Sơn", "Ngọc Bích", "Lam Sơn",
    "Lam Hồng", "Hương Rừng", "Hương Núi", "Hương Sen", "Hương Lúa", "Mùa Vàng", "Lúa Vàng",
    "Bông Lúa", "Nắng Mới", "Thảo Nguyên", "Mộc An", "Mộc Gia", "An Nhiên", "Thanh Bình",
    "Thanh Tâm", "Tín Nghĩa", "Nhân Hòa", "Vĩnh Phát", "Vĩnh Hưng", "Vĩnh Thịnh",
    "Trường An", "Tường An", "Kim Ngân", "Kim Phát", "Ngân Hà", "Sơn Hà", "Thủy Tiên",
    "Tiên Phong", "Tiến Đạt", "Toàn Thắng", "Quang Minh", "Quang Vinh", "Đức Phát", "Đức Anh",
    "Hải Yến", "Minh Châu", "Bản Mường", "Cội Nguồn", "Đất Lành", "Đồng Quê", "Nông Sạch",
    "Xanh Sạch", "Thiên Nhiên", "Rừng Vàng", "Biển Bạc", "Cửu Long", "Sông Hậu", "Sông Tiền",
    "Trà Sơn", "Mây Ngàn", "Đỉnh Núi", "Phù Sa", "Hạt Ngọc", "Mạ Non", "Nông Gia",
)

PRODUCER_TEMPLATES: dict[str, tuple[str, ...]] = {
    "cooperative": (
        "Hợp tác xã {brand}",
        "HTX {brand}",
        "HTX Nông nghiệp {brand}",
        "HTX Dịch vụ nông nghiệp {place}",
        "Hợp tác xã Nông nghiệp sạch {place}",
        "HTX Sản xuất và Thương mại {brand}",
        "Hợp tác xã Nông lâm nghiệp {brand}",
        "HTX Dịch vụ tổng hợp {place}",
        "Hợp tác xã {brand} {place}",
    ),
    "enterprise": (
        "Công ty TNHH {brand}",
        "Công ty TNHH Một thành viên {brand}",
        "Công ty TNHH Thương mại và Dịch vụ {brand}",
        "Công ty TNHH Sản xuất {brand}",
        "Công ty Cổ phần {brand}",
        "Công ty Cổ phần Thực phẩm {brand}",
        "Công ty Cổ phần Nông sản {brand}",
        "Công ty TNHH Đầu tư Phát triển {brand} {place}",
    ),
    "cooperative_group": (
        "Tổ hợp tác {brand}",
        "Tổ hợp tác sản xuất {place}",
        "Tổ hợp tác {brand} {place}",
        "Tổ hợp tác nông nghiệp {place}",
        "Tổ hợp tác liên kết sản xuất {brand}",
    ),
    "household": (
        "Hộ kinh doanh {person}",
        "Hộ kinh doanh {brand}",
        "Hộ kinh doanh {brand} {place}",
        "Hộ sản xuất kinh doanh {person}",
    ),
    "other": (
        "Cơ sở sản xuất {brand}",
        "Cơ sở {brand}",
        "Cơ sở chế biến {brand}",
        "Cơ sở sản xuất {brand} {place}",
        "Làng nghề {place}",
        "Trang trại {brand}",
    ),
}

# ---------------------------------------------------------------------------
# Product bases per product set (1-26): (base name, typical packagings).
# The first base of each set is its most generic one (see packagings_for).
# ---------------------------------------------------------------------------

PRODUCT_BASES: dict[int, tuple[tuple[str, tuple[str, ...]], ...]] = {
    1: (  # Rau, củ, quả, hạt tươi
        ("Cam sành", ("hộp 5kg", "thùng 10kg", "túi lưới 3kg")),
        ("Bưởi da xanh", ("hộp 2 quả", "túi lưới 5kg", "thùng 10kg")),
        ("Vải thiều", ("hộp 2kg", "thùng 5kg", "thùng 10kg")), ("Nhãn lồng", ("hộp 2kg", "thùng 5kg")),
        ("Xoài cát Hòa Lộc", ("hộp 3kg", "thùng 5kg", "thùng 10kg")),
        ("Thanh long ruột đỏ", ("hộp 3kg", "thùng 10kg")),
        ("Sầu riêng", ("thùng 10kg", "thùng 20kg", "hộp 1 quả")),
        ("Dâu tây", ("hộp 250g", "hộp 500g", "hộp 1kg")), ("Hạt dẻ", ("túi 500g", "túi 1kg", "hộp 2kg")),
        ("Su su", ("túi 1kg", "thùng 10kg")), ("Bơ sáp", ("hộp 2kg", "thùng 5kg")),
        ("Hành tím", ("túi 500g", "túi 1kg", "bao 10kg")), ("Măng cụt", ("hộp 2kg", "thùng 5kg")),
        ("Mận hậu", ("hộp 2kg", "thùng 5kg", "thùng 10kg")),
        ("Rau cải hữu cơ", ("bó 300g", "túi 500g", "thùng 5kg")),
    ),
    2: (  # Thịt, thủy sản, trứng, sữa tươi
        ("Gà đồi", ("con 1,5kg", "con 2kg", "hộp 2 con")), ("Gà Đông Tảo", ("con 3kg", "con 4kg")),
        ("Trứng gà ri", ("hộp 10 quả", "hộp 30 quả")), ("Trứng vịt", ("vỉ 10 quả", "hộp 30 quả")),
        ("Sữa tươi thanh trùng", ("hộp 180ml", "chai 500ml", "chai 1 lít")),
        ("Thịt lợn đen", ("khay 500g", "túi 1kg")), ("Thịt bò tơ", ("khay 500g", "túi 1kg")),
        ("Thịt dê núi", ("khay 500g", "túi 1kg", "túi 2kg")), ("Cua biển", ("hộp 1kg", "thùng 3kg")),
        ("Tôm sú", ("hộp 500g", "hộp 1kg")), ("Cá lóc đồng", ("khay 500g", "túi 1kg")),
        ("Hàu sữa", ("túi 2kg", "thùng 5kg")), ("Sò huyết", ("túi 1kg", "thùng 3kg")),
        ("Mực ống tươi", ("khay 500g", "hộp 1kg")), ("Cá ngừ đại dương", ("khay 500g", "túi 1kg")),
    ),
    3: (  # Gạo, ngũ cốc, hạt sơ chế khác
        ("Gạo ST25", ("túi 2kg", "túi 5kg", "bao 10kg")),
        ("Gạo tám thơm", ("túi 2kg", "túi 5kg", "bao 10kg")),
        ("Gạo nếp cái hoa vàng", ("túi 2kg", "túi 5kg")), ("Gạo nếp", ("túi 2kg", "túi 5kg")),
        ("Gạo lứt đỏ", ("túi 1kg", "hộp 2kg")), ("Gạo Séng Cù", ("túi 5kg", "bao 10kg")),
        ("Gạo nàng thơm", ("túi 5kg", "bao 10kg")), ("Gạo một bụi đỏ", ("túi 2kg", "túi 5kg")),
        ("Gạo bao thai", ("túi 5kg", "bao 10kg")), ("Gạo Nàng Nhen", ("túi 2kg", "túi 5kg")),
        ("Hạt sen khô", ("hộp 250g", "túi 500g")), ("Đậu xanh", ("túi 500g", "túi 1kg")),
        ("Lạc đỏ", ("túi 500g", "túi 1kg")), ("Vừng đen", ("túi 250g", "túi 500g")),
        ("Ý dĩ", ("túi 500g", "túi 1kg")),
    ),
    4: (  # Mật ong, mật khác và nông sản thực phẩm khác
        ("Mật ong hoa cà phê", ("hũ 300g", "chai 500ml", "chai 1 lít")),
        ("Mật ong rừng", ("hũ 300g", "chai 500ml")), ("Mật ong bạc hà", ("chai 300ml", "hũ 500g")),
        ("Mật ong hoa nhãn", ("chai 500ml", "chai 1 lít")), ("Mật mía", ("chai 500ml", "can 2 lít")),
        ("Mạch nha", ("hũ 500g", "hũ 1kg")), ("Đường thốt nốt", ("túi 500g", "hộp 1kg")),
        ("Tinh bột nghệ", ("hũ 100g", "hũ 250g", "hộp 500g")),
        ("Tinh bột sắn dây", ("túi 500g", "hộp 1kg")), ("Yến sào", ("hộp 50g", "hộp 100g")),
        ("Phấn hoa", ("hũ 200g", "hũ 500g")), ("Sữa ong chúa", ("hũ 100g", "hũ 200g")),
        ("Lá thạch đen khô", ("túi 500g", "túi 1kg")),
    ),
    5: (  # Đồ ăn nhanh
        ("Phở khô ăn liền", ("gói 75g", "thùng 30 gói")), ("Cháo sen ăn liền", ("gói 50g", "hộp 6 gói")),
        ("Miến ăn liền", ("gói 60g", "thùng 24 gói")), ("Bún gạo lứt ăn liền", ("gói 70g", "hộp 5 gói")),
        ("Mì Quảng ăn liền", ("gói 85g", "thùng 30 gói")),
        ("Hủ tiếu ăn liền", ("gói 70g", "thùng 30 gói")), ("Ngũ cốc dinh dưỡng", ("hộp 500g", "túi 1kg")),
        ("Cơm cháy chà bông", ("túi 200g", "hộp 500g")), ("Bim bim khoai môn", ("gói 100g", "hộp 250g")),
        ("Thanh ngũ cốc", ("gói 30g", "hộp 10 thanh")),
    ),
    6: (  # Chế biến từ gạo, ngũ cốc
        ("Bánh tráng phơi sương", ("gói 500g", "túi 1kg")),
        ("Bánh phu thê", ("hộp 6 chiếc", "hộp 10 chiếc")), ("Bánh chưng", ("chiếc 1kg", "cặp 2 chiếc")),
        ("Cơm cháy", ("hộp 200g", "túi 500g")), ("Bún khô", ("gói 500g", "túi 1kg")),
        ("Phở khô", ("gói 500g", "túi 1kg")), ("Mỳ gạo", ("gói 500g", "túi 1kg", "thùng 10kg")),
        ("Bánh cáy", ("hộp 250g", "hộp 500g")), ("Cốm", ("gói 200g", "hộp 500g")),
        ("Bánh pía", ("hộp 4 chiếc", "hộp 400g")), ("Bánh tét", ("đòn 1kg", "cặp 2 đòn")),
        ("Kẹo dừa", ("hộp 250g", "túi 500g")), ("Bánh gai", ("túi 5 chiếc", "hộp 10 chiếc")),
        ("Bánh đa cua", ("gói 500g", "túi 1kg")), ("Hủ tiếu khô", ("gói 500g", "túi 1kg")),
    ),
    7: (  # Chế biến từ rau, củ, quả, hạt
        ("Hạt điều rang muối", ("túi 250g", "hũ 500g", "hộp 1kg")),
        ("Mứt gừng", ("hộp 300g", "túi 500g")), ("Long nhãn sấy", ("hộp 500g", "túi 1kg")),
        ("Xoài sấy dẻo", ("gói 200g", "hộp 500g")), ("Mít sấy", ("gói 200g", "túi 500g")),
        ("Miến dong", ("gói 500g", "túi 1kg")), ("Mè xửng", ("hộp 200g", "hộp 500g")),
        ("Kẹo lạc", ("gói 200g", "hộp 250g")), ("Mứt sen trần", ("hộp 300g", "hộp 500g")),
        ("Măng khô", ("túi 500g", "túi 1kg")), ("Cà pháo muối", ("hũ 500g", "hũ 1kg")),
        ("Nhút mít", ("hũ 500g", "hũ 1kg")), ("Khoai deo", ("hộp 300g", "túi 500g")),
        ("Bánh đậu xanh", ("hộp 250g", "hộp 12 bánh")), ("Ô mai mơ", ("hộp 300g", "hộp 500g")),
    ),
    8: (  # Chế biến từ thịt, trứng, sữa, thủy sản
        ("Chả mực", ("túi 500g", "hộp 1kg")), ("Nem chua", ("túi 10 chiếc", "hộp 500g")),
        ("Thịt trâu gác bếp", ("hộp 250g", "túi 500g")), ("Lạp xưởng", ("túi 500g", "hộp 1kg")),
        ("Mực một nắng", ("túi 500g", "khay 1kg")), ("Tôm khô", ("hũ 250g", "túi 500g")),
        ("Khô cá dứa", ("túi 500g", "hộp 1kg")), ("Chả cá thát lát", ("khay 500g", "túi 1kg")),
        ("Ruốc thịt lợn", ("hũ 200g", "hũ 500g")), ("Ba khía muối", ("hũ 500g", "hũ 1kg")),
        ("Mắm cá linh", ("hũ 500g", "hũ 1kg")), ("Sữa chua", ("hộp 100g", "lốc 4 hộp")),
        ("Giò bò", ("khoanh 500g", "khoanh 1kg")), ("Trứng vịt muối", ("hộp 6 quả", "hộp 10 quả")),
        ("Sá sùng khô", ("hộp 100g", "hộp 200g")),
    ),
    9: (  # Tương, nước mắm, gia vị dạng lỏng khác
        ("Nước mắm", ("chai 500ml", "chai 1 lít", "can 5 lít")),
        ("Tương bần", ("chai 500ml", "chai 1 lít")), ("Tương ớt", ("chai 250g", "chai 500g")),
        ("Mắm tôm", ("hũ 250g", "hũ 500g")), ("Mắm ruốc", ("hũ 250g", "hũ 500g")),
        ("Mắm nêm", ("chai 500ml", "hũ 500g")), ("Nước tương", ("chai 500ml", "chai 1 lít")),
        ("Giấm gạo", ("chai 500ml", "chai 1 lít")), ("Giấm táo mèo", ("chai 300ml", "chai 500ml")),
        ("Dầu lạc ép", ("chai 500ml", "chai 1 lít")),
    ),
    10: (  # Gia vị khác
        ("Hồ tiêu", ("hũ 100g", "hộp 250g", "túi 500g")), ("Tiêu sọ", ("hũ 100g", "túi 500g")),
        ("Tỏi", ("túi 500g", "túi 1kg", "hộp 2kg")), ("Muối biển", ("túi 500g", "túi 1kg")),
        ("Muối tôm", ("hũ 100g", "hũ 200g")), ("Muối ớt xanh", ("hũ 150g", "hũ 300g")),
        ("Quế", ("túi 500g", "bó 1kg")), ("Hoa hồi", ("túi 200g", "túi 500g")),
        ("Mắc khén", ("hũ 100g", "túi 200g")), ("Thảo quả", ("túi 500g", "túi 1kg")),
        ("Ớt bột", ("hũ 100g", "túi 200g")), ("Bột nghệ", ("hũ 100g", "túi 500g")),
    ),
    11: (  # Chè tươi, chế biến
        ("Trà shan tuyết", ("hộp 100 gram", "gói 200 gram", "hộp 500 gram")),
        ("Chè xanh", ("gói 200 gram", "hộp 500 gram")),
        ("Chè móc câu", ("gói 200 gram", "hộp 250 gram", "hộp 500 gram")),
        ("Chè đinh", ("hộp 100 gram", "hộp 200 gram")), ("Trà ô long", ("hộp 100 gram", "gói 250 gram")),
        ("Hồng trà", ("hộp 100 gram", "gói 200 gram")),
        ("Trà xanh túi lọc", ("hộp 25 túi", "hộp 50 túi")), ("Trà sen", ("hộp 100 gram", "hộp 200 gram")),
        ("Trà nhài", ("gói 100 gram", "hộp 200 gram")), ("Chè búp tươi", ("túi 1kg", "túi 2kg")),
    ),
    12: (  # Sản phẩm chè từ thực vật khác
        ("Trà atiso", ("hộp 20 túi lọc", "gói 200 gram")),
        ("Trà hoa vàng", ("hộp 50 gram", "hộp 100 gram")),
        ("Trà giảo cổ lam", ("gói 200 gram", "hộp 20 túi lọc")),
        ("Trà tim sen", ("hộp 100 gram", "gói 200 gram")), ("Trà gừng", ("hộp 10 gói", "hộp 20 gói")),
        ("Trà cà gai leo", ("gói 200 gram", "hộp 30 túi lọc")),
        ("Trà hoa cúc", ("hũ 50 gram", "hộp 100 gram")),
        ("Trà cung đình", ("hộp 20 túi lọc", "hộp 300 gram")), ("Trà dây", ("gói 500 gram", "túi 1kg")),
        ("Trà vối", ("gói 500 gram", "túi 1kg")), ("Trà lá sen", ("gói 200 gram", "hộp 25 túi lọc")),
    ),
    13: (  # Cà phê, ca cao
        ("Cà phê rang xay", ("gói 250 gram", "gói 500 gram", "túi 1kg")),
        ("Cà phê hạt rang mộc", ("túi 500 gram", "túi 1kg")),
        ("Cà phê hòa tan", ("hộp 18 gói", "bịch 50 gói")),
        ("Cà phê phin giấy", ("hộp 10 gói", "hộp 20 gói")),
        ("Cà phê chè", ("túi 250 gram", "túi 500 gram")), ("Cà phê vối", ("túi 500 gram", "túi 1kg")),
        ("Ca cao hạt lên men", ("túi 500 gram", "túi 1kg")),
        ("Ca cao hòa tan", ("hộp 12 gói", "hộp 20 gói")),
        ("Bột ca cao nguyên chất", ("hộp 250 gram", "túi 500 gram")),
        ("Sô cô la đen", ("thanh 50 gram", "hộp 100 gram")),
    ),
    14: (  # Rượu trắng
        ("Rượu ngô men lá", ("chai 500ml", "chai 1 lít", "can 2 lít")),
        ("Rượu nếp cái hoa vàng", ("chai 500ml", "chai 750ml")),
        ("Rượu gạo men lá", ("chai 500ml", "bình 2 lít")), ("Rượu thóc", ("chai 500ml", "can 5 lít")),
        ("Rượu nếp cẩm", ("chai 500ml", "chai 750ml")), ("Rượu đế", ("chai 500ml", "can 2 lít")),
        ("Rượu gạo lứt", ("chai 500ml", "chai 1 lít")),
    ),
    15: (  # Đồ uống có cồn khác
        ("Rượu mơ", ("chai 500ml", "bình 1,5 lít")), ("Rượu sim", ("chai 500ml", "chai 750ml")),
        ("Vang nho", ("chai 750ml", "hộp 2 chai")), ("Rượu táo mèo", ("chai 500ml", "bình 2 lít")),
        ("Rượu chuối hột", ("chai 500ml", "bình 2 lít")), ("Rượu ba kích", ("chai 500ml", "bình 2 lít")),
        ("Rượu cần", ("ché 3 lít", "bình 5 lít")), ("Vang sim", ("chai 750ml", "hộp 2 chai")),
        ("Rượu dâu tằm", ("chai 500ml", "chai 750ml")), ("Bia thủ công", ("chai 330ml", "thùng 24 chai")),
    ),
    16: (  # Nước khoáng thiên nhiên, nước uống đóng chai
        ("Nước khoáng thiên nhiên", ("chai 500ml", "chai 1,5 lít", "thùng 24 chai")),
        ("Nước khoáng có ga", ("chai 330ml", "thùng 24 chai")),
        ("Nước uống đóng bình", ("bình 19 lít", "bình 20 lít")),
        ("Nước suối đóng chai", ("chai 350ml", "chai 500ml", "thùng 24 chai")),
        ("Nước tinh khiết", ("chai 500ml", "bình 20 lít")),
        ("Nước ion kiềm", ("chai 500ml", "thùng 24 chai")),
    ),
    17: (  # Đồ uống không cồn
        ("Nước ép cam", ("chai 330ml", "chai 1 lít")),
        ("Nước cốt chanh leo", ("chai 500ml", "chai 1 lít")),
        ("Nước dừa đóng chai", ("chai 330ml", "thùng 24 chai")),
        ("Sữa đậu nành", ("chai 500ml", "chai 1 lít")),
        ("Nước gạo rang", ("chai 350ml", "thùng 24 chai")),
        ("Siro dâu tằm", ("chai 500ml", "chai 750ml")), ("Nước mơ ngâm", ("chai 500ml", "bình 1,5 lít")),
        ("Nước ép nhàu", ("chai 500ml", "hộp 2 chai")), ("Sữa hạt sen", ("hộp 180ml", "lốc 4 hộp")),
        ("Nước sâm bí đao", ("chai 350ml", "thùng 24 chai")),
        ("Nước mía đóng chai", ("chai 330ml", "thùng 24 chai")),
    ),
    18: (  # Thực phẩm chức năng, thuốc dược liệu, thuốc cổ truyền
        ("Cao atiso", ("hũ 100g", "hũ 200g")), ("Viên tinh nghệ mật ong", ("hũ 200g", "hũ 500g")),
        ("Cao giảo cổ lam", ("hộp 100g", "hũ 200g")),
        ("Viên đông trùng hạ thảo", ("hộp 30 viên", "hộp 60 viên")),
        ("Cao dây thìa canh", ("hũ 100g", "hũ 200g")), ("Cao cà gai leo", ("hộp 100g", "hũ 200g")),
        ("Cốm lợi sữa", ("hộp 20 gói", "hộp 30 gói")),
        ("Viên nang trinh nữ hoàng cung", ("hộp 60 viên", "lọ 100 viên")),
        ("Cao đinh lăng", ("hũ 100g", "chai 250ml")), ("Siro ho thảo dược", ("chai 100ml", "chai 125ml")),
        ("Đông trùng hạ thảo sấy khô", ("hộp 10 gram", "hộp 20 gram")),
        ("Nhung hươu", ("hộp 50 gram", "hộp 100 gram")),
    ),
    19: (  # Mỹ phẩm có thành phần từ dược liệu
        ("Dầu gội bồ kết", ("chai 300ml", "chai 500ml")),
        ("Xà phòng thảo dược", ("bánh 100g", "hộp 3 bánh")),
        ("Son dưỡng dầu gấc", ("thỏi 4 gram", "hộp 2 thỏi")),
        ("Sữa rửa mặt nghệ", ("tuýp 100ml", "chai 150ml")),
        ("Tinh chất bưởi dưỡng tóc", ("chai 100ml", "chai 250ml")),
        ("Mặt nạ bột cám gạo", ("hũ 100g", "túi 200g")), ("Kem nghệ", ("hũ 30g", "hũ 50g")),
        ("Nước hoa hồng", ("chai 150ml", "chai 300ml")),
        ("Dầu dừa nguyên chất", ("chai 250ml", "chai 500ml")),
        ("Muối tắm thảo dược", ("hũ 300g", "túi 500g")),
        ("Lá tắm người Dao đỏ", ("gói 200g", "hộp 10 gói")),
    ),
    20: (  # Tinh dầu và dược liệu khác
        ("Tinh dầu quế", ("chai 10ml", "chai 50ml", "chai 100ml")),
        ("Tinh dầu sả chanh", ("chai 10ml", "chai 100ml")),
        ("Tinh dầu tràm", ("chai 50ml", "chai 100ml")), ("Tinh dầu bưởi", ("chai 10ml", "chai 50ml")),
        ("Tinh dầu hồi", ("chai 10ml", "chai 50ml")), ("Tinh dầu bạc hà", ("chai 10ml", "chai 30ml")),
        ("Ba kích", ("túi 500g", "hộp 1kg")), ("Sâm dây", ("túi 500g", "hộp 1kg")),
        ("Đinh lăng khô", ("túi 500g", "túi 1kg")), ("Cà gai leo khô", ("túi 500g", "túi 1kg")),
        ("Hà thủ ô đỏ", ("túi 500g", "túi 1kg")), ("Tam thất", ("túi 100g", "túi 500g")),
        ("Đương quy", ("túi 500g", "túi 1kg")), ("Nấm linh chi", ("hộp 200g", "túi 500g")),
    ),
    21: (  # Thủ công mỹ nghệ gia dụng, trang trí
        ("Gốm men lam", ("chiếc", "bộ 6 món", "hộp quà 1 chiếc")),
        ("Bình gốm men rạn", ("chiếc", "hộp quà 1 chiếc")),
        ("Bộ ấm chén gốm", ("bộ 1 ấm 6 chén", "hộp quà 1 bộ")),
        ("Chiếu cói", ("chiếc 1,6m", "chiếc 1,8m")), ("Mây tre đan gia dụng", ("chiếc", "bộ 3 chiếc")),
        ("Nón lá", ("chiếc", "hộp quà 1 chiếc")), ("Tranh dân gian", ("bức 30x40cm", "bộ 4 bức")),
        ("Tranh sơn mài", ("bức 40x60cm", "bức 60x90cm")), ("Đèn lồng lụa", ("chiếc", "bộ 2 chiếc")),
        ("Đồ gỗ mỹ nghệ", ("chiếc", "bộ 3 món")), ("Hương nén", ("bó 100 nén", "hộp 500g")),
        ("Khay sơn mài", ("chiếc", "bộ 2 chiếc")), ("Đũa tre", ("bộ 10 đôi", "hộp 20 đôi")),
        ("Túi cói", ("chiếc", "bộ 2 chiếc")), ("Đá mỹ nghệ trang trí", ("chiếc", "hộp quà 1 chiếc")),
    ),
    22: (  # Vải, may mặc
        ("Lụa tơ tằm", ("tấm 2 mét", "cuộn 10 mét")), ("Thổ cẩm dệt tay", ("tấm 1 mét", "tấm 2 mét")),
        ("Khăn lụa", ("chiếc", "hộp quà 1 chiếc")), ("Áo dài lụa", ("bộ", "hộp quà 1 bộ")),
        ("Túi thổ cẩm", ("chiếc", "bộ 2 chiếc")), ("Vải lanh dệt tay", ("tấm 2 mét", "cuộn 5 mét")),
        ("Khăn choàng thổ cẩm", ("chiếc", "hộp quà 1 chiếc")), ("Váy thổ cẩm", ("chiếc", "bộ")),
        ("Áo bà ba", ("bộ", "hộp quà 1 bộ")), ("Trang phục nhuộm chàm", ("bộ", "chiếc")),
    ),
    23: (  # Hoa
        ("Lan hồ điệp", ("chậu 3 cành", "chậu 5 cành", "chậu 10 cành")),
        ("Hoa cúc", ("bó 10 cành", "chậu nhỏ", "chậu lớn")),
        ("Hoa cúc mâm xôi", ("chậu nhỏ", "chậu lớn", "cặp 2 chậu")),
        ("Hoa hồng", ("bó 20 bông", "hộp 10 bông")), ("Đào cành", ("cành 1,2m", "cành 1,8m")),
        ("Hoa ly", ("bó 10 cành", "chậu 5 cành")), ("Lan đai châu", ("chậu", "giỏ treo")),
        ("Hoa cát tường", ("bó 20 cành", "thùng 200 cành")),
        ("Hoa đồng tiền", ("bó 10 bông", "thùng 100 bông")), ("Hoa sen", ("bó 10 bông", "bó 20 bông")),
    ),
    24: (  # Cây cảnh
        ("Bonsai sanh", ("chậu 40cm", "chậu 60cm")), ("Bonsai mini để bàn", ("chậu 15cm", "chậu 20cm")),
        ("Mai vàng", ("chậu 60cm", "gốc cao 1m")), ("Quất cảnh", ("chậu cao 1m", "cặp 2 chậu")),
        ("Cây kiểng lá", ("chậu nhỏ", "chậu lớn")), ("Tùng la hán", ("chậu 50cm", "chậu 80cm")),
        ("Sen đá", ("chậu 10cm", "khay 6 chậu")), ("Lộc vừng bonsai", ("chậu 60cm", "chậu 80cm")),
        ("Bưởi cảnh", ("chậu cao 1m", "cặp 2 chậu")), ("Đào thế", ("gốc trong chậu", "cặp 2 gốc")),
    ),
    25: (  # Động vật cảnh
        ("Cá Koi", ("con 20cm", "con 30cm", "lô 10 con")), ("Cá vàng", ("túi 5 con", "lô 10 con")),
        ("Cá rồng", ("con 25cm", "con 35cm")), ("Cá chọi", ("hũ 1 con", "hộp 3 con")),
        ("Cá bảy màu", ("túi 10 con", "lô 50 con")), ("Chim chào mào", ("con", "lồng 1 con")),
        ("Chim họa mi", ("con", "lồng 1 con")), ("Gà tre cảnh", ("con", "cặp trống mái")),
        ("Chó Phú Quốc", ("con 2 tháng tuổi", "cặp 2 con")),
    ),
    26: (  # Dịch vụ du lịch cộng đồng, du lịch sinh thái và điểm du lịch
        ("Điểm du lịch cộng đồng", ("vé tham quan 1 người", "gói dịch vụ 1 ngày")),
        ("Homestay", ("phòng 1 đêm", "gói 2 ngày 1 đêm", "gói 3 ngày 2 đêm")),
        ("Tour trải nghiệm làng nghề", ("gói dịch vụ nửa ngày", "gói dịch vụ 1 ngày")),
        ("Du lịch sinh thái miệt vườn", ("gói dịch vụ 1 ngày", "gói 2 ngày 1 đêm")),
        ("Điểm du lịch sinh thái", ("vé tham quan 1 người", "gói dịch vụ 1 ngày")),
        ("Trải nghiệm nông trại", ("vé tham quan 1 người", "gói dịch vụ nửa ngày")),
        ("Tour khám phá bản làng", ("gói dịch vụ 1 ngày", "gói 2 ngày 1 đêm")),
        ("Tour đạp xe đồng quê", ("gói dịch vụ nửa ngày", "gói dịch vụ 1 ngày")),
        ("Trải nghiệm làm nông dân", ("gói dịch vụ nửa ngày", "gói dịch vụ 1 ngày")),
    ),
}

# ---------------------------------------------------------------------------
# Famous local specialties: (set number, product base, place word in the name).
# The product is written "<base> <place>", e.g. "Vải thiều Lục Ngạn".
# ---------------------------------------------------------------------------

SPECIALTIES: dict[str, tuple[tuple[int, str, str], ...]] = {
    "01": (
        (21, "Gốm", "Bát Tràng"), (1, "Bưởi", "Diễn"), (6, "Cốm", "làng Vòng"),
        (22, "Lụa", "Vạn Phúc"), (2, "Sữa tươi", "Ba Vì"), (15, "Rượu mơ", "Hương Sơn"),
        (21, "Mây tre đan", "Phú Vinh"), (21, "Nón lá", "làng Chuông"),
    ),
    "04": (
        (1, "Hạt dẻ", "Trùng Khánh"), (8, "Lạp sườn", "Cao Bằng"), (7, "Miến dong", "Nguyên Bình"),
        (4, "Lá thạch đen", "Thạch An"), (6, "Bánh khảo", "Cao Bằng"), (21, "Hương nén", "Phja Thắp"),
    ),
    "08": (
        (1, "Cam sành", "Hà Giang"), (11, "Trà shan tuyết", "Hà Giang"), (1, "Cam sành", "Hàm Yên"),
        (4, "Mật ong bạc hà", "Mèo Vạc"), (8, "Thịt bò khô", "Hà Giang"), (1, "Bưởi", "Xuân Vân"),
        (11, "Chè", "Mỹ Bằng"),
    ),
    "11": (
        (3, "Gạo tám", "Điện Biên"), (13, "Cà phê", "Mường Ảng"), (11, "Chè shan tuyết", "Tủa Chùa"),
        (10, "Mắc khén", "Điện Biên"), (8, "Thịt trâu gác bếp", "Điện Biên"),
    ),
    "12": (
        (11, "Chè", "Tân Uyên"), (3, "Gạo Séng Cù", "Than Uyên"), (20, "Sâm", "Lai Châu"),
        (10, "Thảo quả", "Sìn Hồ"), (8, "Thịt lợn gác bếp", "Lai Châu"),
    ),
    "14": (
        (1, "Xoài tròn", "Yên Châu"), (1, "Mận hậu", "Mộc Châu"), (2, "Sữa tươi", "Mộc Châu"),
        (11, "Chè shan tuyết", "Tà Xùa"), (13, "Cà phê", "Sơn La"), (1, "Nhãn", "Sông Mã"),
        (8, "Thịt trâu gác bếp", "Sơn La"),
    ),
    "15": (
        (1, "Mận tam hoa", "Bắc Hà"), (14, "Rượu ngô", "Bắc Hà"), (11, "Chè shan tuyết", "Suối Giàng"),
        (10, "Quế", "Văn Yên"), (3, "Gạo Séng Cù", "Mường Khương"), (3, "Gạo nếp", "Tú Lệ"),
        (1, "Cam", "Văn Chấn"), (19, "Lá tắm", "Sa Pa"),
    ),
    "19": (
        (11, "Chè", "Tân Cương"), (11, "Chè", "La Bằng"), (6, "Bánh chưng", "Bờ Đậu"),
        (7, "Miến dong", "Na Rì"), (1, "Hồng không hạt", "Bắc Kạn"), (3, "Gạo bao thai", "Định Hóa"),
        (1, "Cam sành", "Bắc Kạn"),
    ),
    "20": (
        (10, "Hoa hồi", "Lạng Sơn"), (1, "Na", "Chi Lăng"), (1, "Quýt", "Bắc Sơn"),
        (14, "Rượu", "Mẫu Sơn"), (20, "Tinh dầu hồi", "Lạng Sơn"), (8, "Khâu nhục", "Lạng Sơn"),
        (1, "Hồng vành khuyên", "Bảo Lâm"),
    ),
    "22": (
        (8, "Chả mực", "Hạ Long"), (8, "Sá sùng", "Vân Đồn"), (2, "Gà", "Tiên Yên"),
        (20, "Ba kích", "Ba Chẽ"), (12, "Trà hoa vàng", "Ba Chẽ"), (9, "Nước mắm", "Cái Rồng"),
        (15, "Rượu mơ", "Yên Tử"), (2, "Hàu", "Vân Đồn"),
    ),
    "24": (
        (1, "Vải thiều", "Lục Ngạn"), (2, "Gà đồi", "Yên Thế"), (6, "Bánh phu thê", "Đình Bảng"),
        (21, "Gốm", "Phù Lãng"), (21, "Đồ gỗ mỹ nghệ", "Đồng Kỵ"), (6, "Mỳ", "Chũ"),
        (14, "Rượu", "làng Vân"), (21, "Tranh", "Đông Hồ"),
    ),
    "25": (
        (1, "Bưởi", "Đoan Hùng"), (1, "Cam", "Cao Phong"), (11, "Chè", "Long Cốc"),
        (1, "Su su", "Tam Đảo"), (8, "Thịt chua", "Thanh Sơn"), (22, "Thổ cẩm", "Mai Châu"),
    ),
    "31": (
        (1, "Vải thiều", "Thanh Hà"), (6, "Bánh đa cua", "Hải Phòng"), (9, "Nước mắm", "Cát Hải"),
        (6, "Bánh gai", "Ninh Giang"), (7, "Bánh đậu xanh", "Hải Dương"), (8, "Chả rươi", "Tứ Kỳ"),
        (3, "Gạo nếp cái hoa vàng", "Kinh Môn"),
    ),
    "33": (
        (1, "Nhãn lồng", "Hưng Yên"), (2, "Gà Đông Tảo", "Khoái Châu"), (6, "Bánh cáy", "làng Nguyễn"),
        (9, "Tương", "Bần Yên Nhân"), (7, "Long nhãn", "Hưng Yên"), (21, "Chiếu", "Hới"),
    ),
    "37": (
        (2, "Thịt dê núi", "Ninh Bình"), (6, "Cơm cháy", "Ninh Bình"), (21, "Chiếu cói", "Kim Sơn"),
        (3, "Gạo tám", "Hải Hậu"), (6, "Kẹo sìu châu", "Nam Định"), (14, "Rượu", "Kim Sơn"),
        (8, "Cá kho", "làng Vũ Đại"),
    ),
    "38": (
        (8, "Nem chua", "Thanh Hóa"), (21, "Chiếu cói", "Nga Sơn"), (9, "Nước mắm", "Ba Làng"),
        (1, "Bưởi", "Luận Văn"), (8, "Mực khô", "Sầm Sơn"), (6, "Bánh gai", "Tứ Trụ"),
    ),
    "40": (
        (1, "Cam", "Vinh"), (9, "Nước mắm", "Vạn Phần"), (9, "Tương", "Nam Đàn"),
        (7, "Nhút", "Thanh Chương"), (8, "Mực khô", "Cửa Lò"), (11, "Chè", "Anh Sơn"),
    ),
    "42": (
        (1, "Bưởi", "Phúc Trạch"), (7, "Kẹo cu đơ", "Hà Tĩnh"), (1, "Cam bù", "Hương Sơn"),
        (18, "Nhung hươu", "Hương Sơn"), (1, "Cam", "Vũ Quang"),
    ),
    "44": (
        (13, "Cà phê", "Khe Sanh"), (10, "Hồ tiêu", "Vĩnh Linh"), (14, "Rượu", "Kim Long"),
        (7, "Khoai deo", "Quảng Trị"), (8, "Mực một nắng", "Quảng Bình"),
    ),
    "46": (
        (7, "Mè xửng", "Huế"), (20, "Tinh dầu tràm", "Huế"), (12, "Trà cung đình", "Huế"),
        (21, "Nón lá", "Huế"), (8, "Tôm chua", "Huế"), (1, "Thanh trà", "Thủy Biều"),
        (21, "Hương trầm", "Thủy Xuân"), (9, "Mắm ruốc", "Huế"),
    ),
    "48": (
        (20, "Sâm Ngọc Linh", "Trà My"), (9, "Nước mắm", "Nam Ô"), (21, "Gốm", "Thanh Hà"),
        (21, "Đá mỹ nghệ", "Non Nước"), (10, "Quế", "Trà My"), (21, "Đèn lồng", "Hội An"),
        (22, "Lụa", "Mã Châu"), (6, "Mì Quảng", "Phú Chiêm"),
    ),
    "51": (
        (10, "Tỏi", "Lý Sơn"), (4, "Mạch nha", "Quảng Ngãi"), (10, "Quế", "Trà Bồng"),
        (6, "Kẹo gương", "Quảng Ngãi"), (20, "Sâm Ngọc Linh", "Kon Tum"), (13, "Cà phê", "Đăk Hà"),
        (10, "Muối", "Sa Huỳnh"), (4, "Đường phèn", "Quảng Ngãi"),
    ),
    "52": (
        (10, "Hồ tiêu", "Chư Sê"), (13, "Cà phê", "Gia Lai"), (14, "Rượu", "Bàu Đá"),
        (6, "Bánh tráng nước dừa", "Tam Quan"), (8, "Chả ram tôm đất", "Bình Định"),
        (8, "Nem", "chợ Huyện"), (21, "Nón ngựa", "Phú Gia"),
    ),
    "56": (
        (4, "Yến sào", "Khánh Hòa"), (1, "Nho xanh", "Ninh Thuận"), (1, "Xoài", "Cam Lâm"),
        (1, "Sầu riêng", "Khánh Sơn"), (9, "Nước mắm", "Cà Ná"), (15, "Vang nho", "Phan Rang"),
        (10, "Tỏi", "Phan Rang"), (21, "Gốm", "Bàu Trúc"),
    ),
    "66": (
        (13, "Cà phê", "Buôn Ma Thuột"), (1, "Sầu riêng", "Krông Pắc"), (1, "Bơ", "Đắk Lắk"),
        (4, "Mật ong", "Đắk Lắk"), (2, "Cá ngừ đại dương", "Phú Yên"), (6, "Bánh tráng", "Hòa Đa"),
        (2, "Sò huyết", "Ô Loan"), (13, "Ca cao", "Đắk Lắk"),
    ),
    "68": (
        (13, "Cà phê", "Cầu Đất"), (12, "Trà atiso", "Đà Lạt"), (1, "Dâu tây", "Đà Lạt"),
        (23, "Hoa cúc", "Đà Lạt"), (11, "Trà ô long", "Bảo Lộc"), (9, "Nước mắm", "Phan Thiết"),
        (1, "Thanh long", "Bình Thuận"), (10, "Hồ tiêu", "Đắk Nông"),
    ),
    "75": (
        (1, "Bưởi", "Tân Triều"), (1, "Chôm chôm", "Long Khánh"), (7, "Hạt điều rang muối", "Bình Phước"),
        (21, "Gốm", "Biên Hòa"), (1, "Sầu riêng", "Long Khánh"), (10, "Hồ tiêu", "Lộc Ninh"),
        (13, "Ca cao", "Đồng Nai"),
    ),
    "79": (
        (1, "Măng cụt", "Lái Thiêu"), (2, "Thịt bò tơ", "Củ Chi"), (21, "Sơn mài", "Tương Bình Hiệp"),
        (9, "Nước mắm", "Long Hải"), (10, "Hồ tiêu", "Châu Đức"), (8, "Khô cá dứa", "Cần Giờ"),
    ),
    "80": (
        (6, "Bánh tráng phơi sương", "Trảng Bàng"), (10, "Muối tôm", "Tây Ninh"),
        (1, "Mãng cầu", "Bà Đen"), (3, "Gạo nàng thơm", "Chợ Đào"),
        (1, "Thanh long ruột đỏ", "Long An"), (8, "Lạp xưởng", "Cần Đước"),
    ),
    "82": (
        (1, "Xoài", "Cao Lãnh"), (1, "Quýt hồng", "Lai Vung"), (23, "Hoa cúc mâm xôi", "Sa Đéc"),
        (8, "Nem", "Lai Vung"), (12, "Trà tim sen", "Tháp Mười"), (1, "Vú sữa Lò Rèn", "Vĩnh Kim"),
        (6, "Hủ tiếu", "Mỹ Tho"), (1, "Thanh long", "Chợ Gạo"),
    ),
    "86": (
        (1, "Bưởi da xanh", "Bến Tre"), (6, "Kẹo dừa", "Bến Tre"), (1, "Cam sành", "Tam Bình"),
        (1, "Bưởi Năm Roi", "Bình Minh"), (21, "Gốm đỏ", "Vĩnh Long"), (1, "Dừa sáp", "Cầu Kè"),
        (6, "Bánh tét", "Trà Cuôn"), (14, "Rượu", "Xuân Thạnh"),
    ),
    "91": (
        (9, "Nước mắm", "Phú Quốc"), (10, "Tiêu", "Phú Quốc"), (15, "Rượu sim", "Phú Quốc"),
        (4, "Đường thốt nốt", "Bảy Núi"), (8, "Mắm", "Châu Đốc"), (3, "Gạo Nàng Nhen", "Bảy Núi"),
        (22, "Lụa", "Tân Châu"), (8, "Khô cá lóc", "U Minh Thượng"),
    ),
    "92": (
        (6, "Bánh pía", "Sóc Trăng"), (3, "Gạo ST25", "Sóc Trăng"), (1, "Hành tím", "Vĩnh Châu"),
        (1, "Khóm", "Cầu Đúc"), (1, "Dâu", "Hạ Châu"), (6, "Bánh tét lá cẩm", "Cần Thơ"),
        (8, "Lạp xưởng", "Sóc Trăng"), (8, "Chả cá thát lát", "Hậu Giang"),
    ),
    "96": (
        (2, "Cua biển", "Cà Mau"), (8, "Tôm khô", "Rạch Gốc"), (4, "Mật ong rừng", "U Minh Hạ"),
        (10, "Muối", "Bạc Liêu"), (8, "Ba khía muối", "Cà Mau"), (3, "Gạo một bụi đỏ", "Hồng Dân"),
    ),
}

# ---------------------------------------------------------------------------
# Product descriptions by sector: {product}, {producer}, {place}, {packaging}.
# ---------------------------------------------------------------------------

SECTOR_DESCRIPTIONS: dict[str, tuple[str, ...]] = {
    "food": (
        "{product} được {producer} sản xuất tại {place} từ nguồn nguyên liệu địa phương tuyển chọn. "
        "Sản phẩm đóng gói {packaging}, giữ trọn hương vị đặc trưng của vùng quê.",
        "{product} của {producer} được chế biến theo quy trình khép kín, kiểm soát chặt chẽ "
        "từ vùng nguyên liệu ở {place} đến khâu đóng gói. Quy cách: {packaging}.",
        "{product} mang hương vị mộc mạc của {place}, không sử dụng chất bảo quản, thích hợp "
        "cho bữa cơm gia đình hoặc làm quà biếu. Sản phẩm được bán theo {packaging}.",
        "Với nguồn nguyên liệu sạch tại {place}, {producer} mang đến {product} đáp ứng yêu cầu "
        "an toàn thực phẩm. Sản phẩm đóng gói tiện lợi dạng {packaging}.",
        "{product} là một trong những sản phẩm tiêu biểu của {producer}. Sản phẩm có tem truy xuất "
        "nguồn gốc, hướng dẫn bảo quản ghi rõ trên bao bì; quy cách đóng gói {packaging}.",
    ),
    "beverages": (
        "{product} do {producer} sản xuất tại {place}, sử dụng nguồn nước và nguyên liệu được "
        "kiểm soát chất lượng. Sản phẩm đóng {packaging}, thích hợp dùng hằng ngày và làm quà tặng.",
        "{product} có hương vị tự nhiên, được {producer} chế biến theo công thức riêng và kiểm "
        "nghiệm định kỳ. Quy cách: {packaging}.",
        "Từ nguyên liệu chọn lọc tại {place}, {producer} tạo nên {product} với chất lượng ổn định "
        "qua từng mẻ sản xuất. Sản phẩm đóng gói dạng {packaging}.",
        "{product} là thức uống đặc trưng của {place}, được đóng {packaging} tiện cho việc vận "
        "chuyển và bảo quản. Nhãn mác, hạn sử dụng và tem truy xuất nguồn gốc được ghi đầy đủ.",
        "Mỗi lô {product} của {producer} đều được lưu mẫu và kiểm tra trước khi xuất xưởng. "
        "Sản phẩm có mặt tại các cửa hàng đặc sản ở {place} với quy cách {packaging}.",
    ),
    "herbal": (
        "{product} được {producer} bào chế từ dược liệu trồng và thu hái tại {place} theo hướng "
        "dẫn kỹ thuật. Sản phẩm đóng gói {packaging}, có hướng dẫn sử dụng chi tiết trên bao bì.",
        "{product} kết hợp kinh nghiệm dân gian của người dân {place} với quy trình sản xuất "
        "hiện đại của {producer}. Quy cách: {packaging}.",
        "{product} có nguồn gốc thảo dược rõ ràng, không chứa chất tạo màu tổng hợp. Sản phẩm "
        "được {producer} đóng gói {packaging} và phân phối tại các cửa hàng đặc sản.",
        "Vùng dược liệu tại {place} là nguồn nguyên liệu chính để {producer} sản xuất {product}. "
        "Sản phẩm đóng gói dạng {packaging}; người dùng nên đọc kỹ hướng dẫn trước khi sử dụng.",
        "Dược liệu làm nên {product} được sơ chế, sấy và bảo quản ngay tại {place} để giữ "
        "trọn dược tính. {producer} cung cấp sản phẩm theo quy cách {packaging}.",
    ),
    "handicrafts": (
        "{product} được những người thợ thủ công của {producer} làm hoàn toàn bằng tay tại "
        "{place}. Mỗi sản phẩm mang nét riêng, quy cách {packaging}.",
        "Kế thừa kỹ thuật truyền thống ở {place}, {producer} tạo ra {product} bền đẹp, "
        "phù hợp trang trí nhà cửa và làm quà tặng. Sản phẩm được bán theo {packaging}.",
        "{product} sử dụng nguyên liệu tự nhiên, thân thiện với môi trường. {producer} "
        "nhận đặt hàng theo quy cách {packaging} và theo mẫu riêng của khách hàng.",
        "Từng công đoạn làm nên {product} đều do thợ lành nghề tại {place} thực hiện tỉ mỉ. "
        "Sản phẩm được đóng gói cẩn thận dạng {packaging} trước khi giao đến khách hàng.",
    ),
    "ornamentals": (
        "{product} được {producer} chăm sóc kỹ lưỡng tại {place}, bảo đảm khỏe mạnh và đồng "
        "đều. Sản phẩm được cung cấp theo quy cách {packaging}.",
        "Với nhiều năm kinh nghiệm, {producer} chọn lọc giống và chăm sóc {product} theo quy "
        "trình riêng, phù hợp với khí hậu {place}. Quy cách: {packaging}.",
        "{product} của {producer} có dáng đẹp, màu sắc tươi tắn, được khách hàng ưa chuộng vào "
        "dịp lễ, Tết. Khi vận chuyển, sản phẩm được đóng gói cẩn thận dạng {packaging}.",
        "Khách hàng có thể đến tận nơi sản xuất của {producer} tại {place} để chọn {product}. "
        "Mỗi sản phẩm kèm hướng dẫn chăm sóc; quy cách bán {packaging}.",
    ),
    "tourism": (
        "{product} do {producer} tổ chức tại {place}, giúp du khách trải nghiệm đời sống thường "
        "ngày, ẩm thực và văn hóa địa phương. Gói dịch vụ: {packaging}.",
        "Đến với {product}, du khách được người dân {place} hướng dẫn tham gia các công việc "
        "đồng áng, thưởng thức đặc sản và nghỉ ngơi giữa không gian xanh. Hình thức: {packaging}.",
        "{producer} xây dựng {product} theo hướng du lịch xanh, gìn giữ cảnh quan và nét văn hóa "
        "truyền thống của {place}. Sản phẩm được bán theo {packaging}.",
        "{product} phù hợp cho gia đình, nhóm bạn và học sinh muốn tìm hiểu cuộc sống nông thôn "
        "ở {place}. Dịch vụ do {producer} vận hành, đặt trước theo {packaging}.",
    ),
}

# ---------------------------------------------------------------------------
# Product stories: {product}, {producer}, {place}, {province}, {year}, {person}.
# ---------------------------------------------------------------------------

STORY_TEMPLATES: tuple[str, ...] = (
    "Câu chuyện của {product} bắt đầu từ năm {year}, khi {person} cùng một số hộ trong thôn "
    "quyết định gìn giữ nghề truyền thống của cha ông ở {place}. Những ngày đầu, sản phẩm chỉ "
    "được bán ở chợ phiên và cho khách quen trong vùng. Khi {producer} đi vào hoạt động, bà con "
    "thống nhất quy trình, đăng ký nhãn hiệu và đầu tư bao bì. Việc được công nhận sản phẩm "
    "OCOP của {province} đã giúp {product} có mặt tại nhiều cửa hàng đặc sản và hội chợ.",

    "Người dân {place} vẫn nói rằng đất, nước và khí hậu nơi đây làm nên nét riêng của "
    "{product}. Thành lập năm {year}, {producer} chọn cách giữ nguyên phương pháp truyền thống, "
    "chỉ cải tiến những khâu giúp sản phẩm an toàn và đồng đều hơn. Mỗi mùa vụ, các thành viên "
    "cùng ghi chép nhật ký sản xuất để có thể truy xuất nguồn gốc. Nhờ vậy, sản phẩm đã đáp ứng "
    "các tiêu chí của Chương trình mỗi xã một sản phẩm tại {province}.",

    "Đã ba thế hệ, gia đình {person} ở {place} gắn bó với nghề làm ra {product}. Năm {year}, "
    "gia đình liên kết với các hộ lân cận thành lập {producer} để chia sẻ kinh nghiệm và cùng "
    "tìm đầu ra ổn định. Nhiều bí quyết vốn chỉ truyền miệng nay được ghi thành quy trình để "
    "con cháu tiếp nối. Từ khi đạt chứng nhận OCOP, thu nhập của các hộ thành viên tăng lên rõ rệt.",

    "Năm {year}, {person} rời thành phố trở về quê {place} với mong muốn đưa sản vật quê hương "
    "đi xa hơn. Bà con trong thôn ban đầu còn e dè, nhưng rồi cùng góp công, góp vốn xây dựng "
    "{producer}. Từ một cơ sở nhỏ, {product} nay đã có nhãn hiệu, tem truy xuất nguồn gốc và "
    "được bày bán tại nhiều cửa hàng ở {province}. Chứng nhận OCOP là động lực để cơ sở tiếp "
    "tục đầu tư cho chất lượng.",

    "{producer} khởi đầu từ một nhóm phụ nữ ở {place} cùng nhau sản xuất {product} vào lúc "
    "nông nhàn. Được chính quyền địa phương hỗ trợ tập huấn, năm {year} nhóm chuyển sang hoạt "
    "động bài bản với quy trình và nhãn mác rõ ràng. Sản phẩm tạo việc làm thường xuyên cho nhiều "
    "lao động nữ và người lớn tuổi trong thôn. Tham gia Chương trình OCOP giúp sản phẩm được "
    "quảng bá rộng rãi tại các hội chợ của {province}.",

    "Trước khi tham gia Chương trình OCOP, {product} chủ yếu được tiêu thụ theo hình thức "
    "truyền miệng. {person}, người đứng đầu {producer}, cho biết việc chuẩn hóa hồ sơ, nhãn mác "
    "và kiểm nghiệm chất lượng ban đầu rất vất vả. Đổi lại, sau khi được xếp hạng, sản phẩm có "
    "thêm nhiều đối tác phân phối và khách hàng ở các đô thị lớn. Từ cơ sở thành lập năm {year} "
    "ở {place}, sản phẩm nay đã trở thành niềm tự hào của người dân {province}.",

    "Ở {place}, nguồn nguyên liệu vốn dồi dào, nhưng trước đây người dân chủ yếu bán thô với giá "
    "thấp. Năm {year}, {producer} được thành lập để liên kết sản xuất, bao tiêu và chế biến sâu. "
    "{product} ra đời từ đó, giúp nâng cao giá trị nông sản và giữ chân lao động trẻ ở lại quê "
    "hương. Sản phẩm đã được Hội đồng đánh giá, phân hạng sản phẩm OCOP của {province} công nhận.",

    "Nói đến {place}, nhiều người nhớ ngay tới {product}. Đây là thành quả của sự kiên trì của "
    "{person} cùng các thành viên {producer} trong suốt nhiều năm kể từ khi thành lập năm {year}. "
    "Từng công đoạn đều được làm cẩn thận, kết hợp kinh nghiệm truyền thống với thiết bị hiện đại "
    "ở những khâu cần thiết. Chứng nhận OCOP của {province} là sự ghi nhận cho tâm huyết của "
    "những người làm nghề nơi đây.",

    "Nắng, gió và nguồn nước của {place} đã nuôi dưỡng nghề truyền thống qua nhiều thế hệ. "
    "Thành lập năm {year}, {producer} quy tụ những hộ có tay nghề lâu năm trong vùng. Các thành "
    "viên thường xuyên được tập huấn về an toàn, vệ sinh và quản lý chất lượng. Nhờ đó, {product} "
    "đạt tiêu chuẩn OCOP và trở thành món quà quê được du khách đến {province} tìm mua.",

    "Mỗi dịp lễ hội, gian hàng của {producer} luôn đông khách ghé thăm và tìm hiểu về {product}. "
    "Cơ sở được thành lập năm {year} tại {place}, từ vài thành viên ban đầu nay đã mở rộng quy mô "
    "và liên kết với nhiều hộ dân. {person} chia sẻ rằng điều quan trọng nhất là giữ chữ tín với "
    "khách hàng. Sau khi được công nhận OCOP, sản phẩm xuất hiện ngày càng nhiều tại các hội chợ "
    "xúc tiến thương mại của {province}.",

    "Ở {place}, nghề truyền thống từng có lúc tưởng như mai một vì lớp trẻ đi làm ăn xa. Năm "
    "{year}, {person} cùng một số người tâm huyết thành lập {producer} để khôi phục nghề và tạo "
    "việc làm tại chỗ. {product} được làm theo cách truyền thống nhưng có bao bì mới và nhãn "
    "hiệu riêng. Chương trình OCOP đã giúp cơ sở tiếp cận nguồn vốn hỗ trợ và mở rộng thị trường "
    "trong và ngoài {province}.",

    "Du khách đến {place} ngày càng thích ghé thăm {producer} để tận mắt xem quy trình làm ra "
    "{product}. Được thành lập năm {year}, cơ sở kết hợp sản xuất với đón khách tham quan, trải "
    "nghiệm. {person} tin rằng khi khách hiểu câu chuyện phía sau, họ sẽ trân trọng sản phẩm hơn. "
    "Danh hiệu OCOP của {province} càng giúp sản phẩm tạo được niềm tin với người tiêu dùng.",

    "Thời tiết ở {place} thay đổi theo mùa, vì thế người làm nghề phải tính toán kỹ thời điểm "
    "thu hoạch nguyên liệu và sản xuất. Kinh nghiệm ấy được {person} học từ cha mẹ và truyền lại "
    "cho các thành viên {producer}, cơ sở thành lập năm {year}. Nhờ chủ động nguồn nguyên liệu "
    "và áp dụng quy trình an toàn, {product} giữ được chất lượng ổn định quanh năm. Sản phẩm đã "
    "được công nhận OCOP và có mặt trên các sàn thương mại điện tử.",

    "Từ quy mô hộ gia đình của {person}, {producer} ra đời năm {year} với mong muốn làm ra những "
    "sản phẩm sạch, an toàn. Đến nay, cơ sở đã liên kết với nhiều hộ dân ở {place}, bảo đảm đầu "
    "ra ổn định cho bà con. {product} được người tiêu dùng đánh giá cao nhờ chất lượng đồng đều "
    "và nguồn gốc rõ ràng. Tham gia Chương trình OCOP là bước đi quan trọng để sản phẩm khẳng "
    "định thương hiệu tại {province} và các địa phương lân cận.",
)

# ---------------------------------------------------------------------------
# Certification / standard codes plausible per sector.
# ---------------------------------------------------------------------------

STANDARD_CHOICES: dict[str, tuple[str, ...]] = {
    "food": ("vietgap", "globalgap", "haccp", "iso22000", "organic", "fssc22000", "tcvn", "iso9001"),
    "beverages": ("haccp", "iso22000", "iso9001", "gmp", "fssc22000", "brc", "tcvn"),
    "herbal": ("gmp", "vietgap", "organic", "haccp", "iso22000", "iso9001", "tcvn"),
    "handicrafts": ("iso9001", "tcvn"),
    "ornamentals": ("vietgap", "globalgap", "tcvn"),
    "tourism": ("iso9001", "tcvn"),
}


def packagings_for(set_number: int, base: str) -> tuple[str, ...]:
    """Typical packagings for ``base`` in a set, e.g. for a specialty's base name.

    An exact base wins; otherwise the base sharing the most leading words
    ("Cam" -> "Cam sành"); otherwise the set's first, most generic base.
    """
    bases = PRODUCT_BASES[set_number]
    words = base.lower().split()
    best, best_score = bases[0][1], 0
    for name, packagings in bases:
        if name == base:
            return packagings
        score = 0
        for a, b in zip(words, name.lower().split(), strict=False):
            if a != b:
                break
            score += 1
        if score > best_score:
            best, best_score = packagings, score
    return best


def _check() -> None:
    """Consistency checks of this module (not run at import)."""
    import string
    import unicodedata

    codes = {
        "01", "04", "08", "11", "12", "14", "15", "19", "20", "22", "24", "25", "31", "33", "37",
        "38", "40", "42", "44", "46", "48", "51", "52", "56", "66", "68", "75", "79", "80", "82",
        "86", "91", "92", "96",
    }
    sectors = {"food", "beverages", "herbal", "handicrafts", "ornamentals", "tourism"}
    standards = {"vietgap", "globalgap", "haccp", "iso22000", "iso9001", "gmp", "organic",
                 "fssc22000", "brc", "tcvn"}

    def unique(items, what):
        items = list(items)
        dupes = {x for x in items if items.count(x) > 1}
        assert not dupes, f"duplicates in {what}: {sorted(map(str, dupes))}"

    def strings(value):
        if isinstance(value, str):
            yield value
        elif isinstance(value, dict):
            for k, v in value.items():
                yield from strings(k)
                yield from strings(v)
        elif isinstance(value, (tuple, list)):
            for v in value:
                yield from strings(v)

    def fields(template):
        return {f for _, f, _, _ in string.Formatter().parse(template) if f is not None}

    # Places
    assert set(COMMUNES) == codes, set(COMMUNES) ^ codes
    for code, communes in COMMUNES.items():
        assert 8 <= len(communes) <= 14, (code, len(communes))
        unique((name for _, name in communes), f"COMMUNES[{code}]")
        for kind, name in communes:
            assert kind in ("xa", "phuong", "dac_khu"), (code, kind)
            assert name and name == name.strip(), (code, name)
    assert ("xa", "Vĩnh Tuy") in COMMUNES["08"]
    assert ("dac_khu", "Phú Quốc") in COMMUNES["91"]
    assert ("phuong", "Buôn Ma Thuột") in COMMUNES["66"]
    assert len(VILLAGES) >= 60
    unique(VILLAGES, "VILLAGES")

    # People and producers
    for name, values in (("FAMILY_NAMES", FAMILY_NAMES), ("MIDDLE_NAMES", MIDDLE_NAMES),
                         ("GIVEN_NAMES", GIVEN_NAMES), ("BRAND_WORDS", BRAND_WORDS)):
        assert values, name
        unique(values, name)
    assert len(GIVEN_NAMES) >= 60 and len(BRAND_WORDS) >= 120
    assert set(PRODUCER_TEMPLATES) == {"cooperative", "enterprise", "cooperative_group",
                                       "household", "other"}
    for kind, templates in PRODUCER_TEMPLATES.items():
        assert len(templates) >= 4, kind
        unique(templates, f"PRODUCER_TEMPLATES[{kind}]")
        for t in templates:
            assert fields(t) and fields(t) <= {"brand", "person", "place"}, t
            t.format(brand="Phúc Lộc", person="Nguyễn Văn An", place="Vĩnh Tuy")

    # Products
    assert set(PRODUCT_BASES) == set(range(1, 27)), sorted(PRODUCT_BASES)
    for number, bases in PRODUCT_BASES.items():
        assert 6 <= len(bases) <= 15, (number, len(bases))
        unique((base for base, _ in bases), f"PRODUCT_BASES[{number}]")
        for base, packagings in bases:
            assert 2 <= len(packagings) <= 5, (number, base)
            unique(packagings, f"packagings of {base}")
    assert set(SPECIALTIES) == codes, set(SPECIALTIES) ^ codes
    for code, items in SPECIALTIES.items():
        assert 3 <= len(items) <= 8, (code, len(items))
        unique(items, f"SPECIALTIES[{code}]")
        unique((f"{base} {place}" for _, base, place in items), f"SPECIALTIES[{code}] names")
        for number, base, place in items:
            assert number in PRODUCT_BASES and base and place, (code, number, base, place)
            assert packagings_for(number, base)

    # Texts
    assert set(SECTOR_DESCRIPTIONS) == sectors
    for sector, templates in SECTOR_DESCRIPTIONS.items():
        assert len(templates) >= 4, sector
        unique(templates, f"SECTOR_DESCRIPTIONS[{sector}]")
        for t in templates:
            assert fields(t) <= {"product", "producer", "place", "packaging"}, t
            assert "product" in fields(t), t
            t.format(product="Cam sành Hà Giang", producer="HTX Anh Tài", place="xã Vĩnh Tuy",
                     packaging="hộp 5kg")
    assert len(STORY_TEMPLATES) >= 12
    unique(STORY_TEMPLATES, "STORY_TEMPLATES")
    for t in STORY_TEMPLATES:
        assert fields(t) <= {"product", "producer", "place", "province", "year", "person"}, t
        assert {"product", "producer", "place"} <= fields(t), t
        t.format(product="Cam sành Hà Giang", producer="HTX Anh Tài", place="xã Vĩnh Tuy",
                 province="Tuyên Quang", year=2012, person="Phạm Đức Tương")
    assert set(STANDARD_CHOICES) == sectors
    for sector, chosen in STANDARD_CHOICES.items():
        assert chosen and set(chosen) <= standards, sector
        unique(chosen, f"STANDARD_CHOICES[{sector}]")

    # Braces only in templates; everything NFC and trimmed
    templates = set(strings(PRODUCER_TEMPLATES)) | set(strings(SECTOR_DESCRIPTIONS))
    templates |= set(STORY_TEMPLATES)
    data = (COMMUNES, VILLAGES, FAMILY_NAMES, MIDDLE_NAMES, GIVEN_NAMES, BRAND_WORDS,
            PRODUCER_TEMPLATES, PRODUCT_BASES, SPECIALTIES, SECTOR_DESCRIPTIONS,
            STORY_TEMPLATES, STANDARD_CHOICES)
    for s in strings(data):
        assert unicodedata.is_normalized("NFC", s), repr(s)
        assert s == s.strip() and "  " not in s, repr(s)
        if s not in templates:
            assert "{" not in s and "}" not in s, repr(s)
