"""A deterministic corpus of synthetic bulletins, for measuring builds.

`python bench/corpus.py N DEST` writes two projects made from the same records:
DEST/bantin (Bantin's own format: site data, front matter with `meeting:` and
`opinion:` blocks, one captioned photo each) and DEST/blog (the same posts laid
out for Material's blog plugin), so that both tools build the same words.

The text is recombined from real sentences and clauses of ward and district
portals (shared/seeds/*.txt); the same seed and N give the same bytes.
"""
from __future__ import annotations

import argparse
import hashlib
import io
import json
import re
import shutil
import sys
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from random import Random
from typing import Optional

import yaml

ROOT = Path(__file__).resolve().parent.parent
from shared import SEEDS  # noqa: E402  (the workplace's seed articles)
START, END = datetime(2015, 1, 1), datetime(2025, 12, 31)
# Share of each kind of bulletin: plain news, meeting records, public-opinion summaries.
KINDS = (("news", 0.6), ("meeting", 0.25), ("opinion", 0.15))
MEDIA_COUNT = 8
MIN_WORDS, MAX_WORDS = 580, 900
FORMAT_VERSION = 3  # bump when the output changes, so that cached corpora are rebuilt

sys.path.insert(0, str(ROOT))
from generator.vietnamese import slugify  # noqa: E402

# ----------------------------------------------------------------- site data

# (name, level, parent name): 3 provinces/cities, 7 districts, 30 wards, communes and towns.
UNITS = [
    ("Thành phố Hà Nội", "thành phố", None),
    ("Tỉnh An Giang", "tỉnh", None),
    ("Tỉnh Bắc Kạn", "tỉnh", None),
    ("Quận Long Biên", "quận", "Thành phố Hà Nội"),
    ("Thị xã Sơn Tây", "thị xã", "Thành phố Hà Nội"),
    ("Huyện Gia Lâm", "huyện", "Thành phố Hà Nội"),
    ("Huyện Châu Phú", "huyện", "Tỉnh An Giang"),
    ("Thành phố Long Xuyên", "thành phố", "Tỉnh An Giang"),
    ("Huyện Bạch Thông", "huyện", "Tỉnh Bắc Kạn"),
    ("Thành phố Bắc Kạn", "thành phố", "Tỉnh Bắc Kạn"),
    *[(f"Phường {n}", "phường", "Quận Long Biên") for n in
      ("Ngọc Thụy", "Gia Thụy", "Bồ Đề", "Đức Giang", "Thạch Bàn", "Phúc Đồng", "Việt Hưng", "Long Biên")],
    *[(f"Phường {n}", "phường", "Thị xã Sơn Tây") for n in ("Quang Trung", "Lê Lợi", "Sơn Lộc", "Trung Hưng")],
    ("Xã Xuân Sơn", "xã", "Thị xã Sơn Tây"),
    ("Thị trấn Trâu Quỳ", "thị trấn", "Huyện Gia Lâm"),
    *[(f"Xã {n}", "xã", "Huyện Gia Lâm") for n in ("Bát Tràng", "Đa Tốn", "Kiêu Kỵ")],
    ("Thị trấn Cái Dầu", "thị trấn", "Huyện Châu Phú"),
    *[(f"Xã {n}", "xã", "Huyện Châu Phú") for n in ("Bình Long", "Mỹ Đức", "Vĩnh Thạnh Trung")],
    *[(f"Phường {n}", "phường", "Thành phố Long Xuyên") for n in ("Mỹ Bình", "Mỹ Long", "Bình Khánh")],
    ("Thị trấn Phủ Thông", "thị trấn", "Huyện Bạch Thông"),
    *[(f"Xã {n}", "xã", "Huyện Bạch Thông") for n in ("Quân Hà", "Cẩm Giàng")],
    *[(f"Phường {n}", "phường", "Thành phố Bắc Kạn") for n in ("Đức Xuân", "Sông Cầu")],
    ("Xã Dương Quang", "xã", "Thành phố Bắc Kạn"),
]

CATEGORIES = [
    ("tin-tuc-su-kien", "Tin tức - sự kiện", "Tin nổi bật, sự kiện chính trị, xã hội trên địa bàn."),
    ("hoat-dong-co-so", "Hoạt động cơ sở", "Hoạt động của đảng ủy, chính quyền, mặt trận và đoàn thể các phường, xã."),
    ("dang-doan-the", "Đảng - đoàn thể", "Công tác xây dựng Đảng, tuyên giáo, dân vận và hoạt động của Mặt trận, các đoàn thể."),
    ("chinh-quyen", "Chính quyền", "Hoạt động của Hội đồng nhân dân, Ủy ban nhân dân; cải cách hành chính."),
    ("kinh-te-xa-hoi", "Kinh tế - xã hội", "Sản xuất, kinh doanh, xây dựng nông thôn mới, đô thị."),
    ("van-hoa-xa-hoi", "Văn hóa - xã hội", "Văn hóa, giáo dục, y tế, an sinh xã hội."),
    ("quoc-phong-an-ninh", "Quốc phòng - an ninh", "Quân sự địa phương, giao nhận quân, giữ gìn an ninh trật tự."),
    ("du-luan-xa-hoi", "Dư luận xã hội", "Tình hình dư luận xã hội và việc trả lời các vấn đề Nhân dân quan tâm."),
]
CATEGORY_BY_KIND = {
    "news": ["tin-tuc-su-kien", "hoat-dong-co-so", "kinh-te-xa-hoi", "van-hoa-xa-hoi", "quoc-phong-an-ninh", "chinh-quyen"],
    "meeting": ["hoat-dong-co-so", "dang-doan-the", "chinh-quyen", "du-luan-xa-hoi"],
    "opinion": ["du-luan-xa-hoi", "du-luan-xa-hoi", "du-luan-xa-hoi", "dang-doan-the"],
}

TOPICS = [
    ("du-luan-xa-hoi", "Dư luận xã hội"), ("cong-tac-tuyen-giao", "Công tác tuyên giáo"),
    ("bao-ve-nen-tang-tu-tuong", "Bảo vệ nền tảng tư tưởng của Đảng"), ("xay-dung-dang", "Xây dựng Đảng"),
    ("dan-van", "Dân vận"), ("chuyen-doi-so", "Chuyển đổi số, cải cách hành chính"),
    ("giai-phong-mat-bang", "Giải phóng mặt bằng"), ("trat-tu-do-thi", "Trật tự đô thị"),
    ("moi-truong", "Môi trường"), ("covid-19", "Phòng, chống dịch Covid-19"),
    ("an-ninh-trat-tu", "An ninh trật tự"), ("quoc-phong", "Quốc phòng, quân sự địa phương"),
    ("an-sinh-xa-hoi", "An sinh xã hội"), ("nong-thon-moi", "Nông nghiệp, nông thôn mới"),
    ("giao-duc", "Giáo dục, khuyến học"), ("y-te", "Y tế, chăm sóc sức khỏe"),
    ("bau-cu", "Bầu cử"), ("thue-ngan-sach", "Thuế, ngân sách"),
    ("giao-thong", "Giao thông"), ("van-hoa", "Văn hóa, thể thao"),
]
# Topics editors use without declaring them in topics.yml (a warning, named from the key): with the
# declared ones, a pool of 48, of which most are undeclared, as on the portals measured.
UNDECLARED_TOPICS = [
    "ban-chi-dao-35", "bao-ton-di-tich", "binh-dang-gioi", "cai-cach-thu-tuc", "can-cuoc-dinh-danh", "cap-nuoc-sach",
    "chong-ngap-ung", "dai-doan-ket", "dat-dai", "dich-vu-cong", "doan-thanh-nien", "hoi-cuu-chien-binh",
    "hoi-nong-dan", "hoi-phu-nu", "khuyen-nong", "lao-dong-viec-lam", "mat-tran-to-quoc", "nguoi-cao-tuoi",
    "phong-chay-chua-chay", "phong-chong-tham-nhung", "quy-hoach", "tai-nguyen-nuoc", "thi-dua-khen-thuong",
    "thong-tin-co-so", "tiep-cong-dan", "to-dan-pho", "ve-sinh-an-toan-thuc-pham", "xoa-doi-giam-ngheo",
]

# ----------------------------------------------------------------- phrases

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô",
          "Dương", "Lý", "Trương", "Đinh", "Lương", "Tạ"]
MIDDLE = ["Văn", "Thị", "Hữu", "Đức", "Thanh", "Minh", "Quang", "Ngọc", "Thu", "Hồng", "Viết", "Thế", "Kim", "Huy"]
GIVEN = ["Hà", "Hương", "Long", "Tấn", "Khánh", "Thạch", "Hảo", "Thịnh", "Hồng", "Lan", "Hải", "Dũng", "Hùng",
         "Tuấn", "Trang", "Mai", "Phương", "Nam", "Sơn", "Bình", "Cường", "Linh", "Yến", "Thảo", "Việt", "Hiếu"]
ROLES = ["Bí thư Đảng ủy {u}", "Phó Bí thư Thường trực Đảng ủy {u}", "Chủ tịch UBND {u}",
         "Phó Chủ tịch UBND {u}", "Chủ tịch Ủy ban MTTQ {u}", "Bí thư Đoàn Thanh niên {u}",
         "Cán bộ Tuyên giáo Đảng ủy {u}", "Tổ trưởng Tổ cộng tác viên dư luận xã hội {u}",
         "Chủ tịch Hội Liên hiệp Phụ nữ {u}", "Chỉ huy trưởng Ban Chỉ huy quân sự {u}",
         "Trưởng Công an {u}", "Chủ tịch Hội Cựu chiến binh {u}"]
PARENT_ROLES = ["Phó Trưởng Ban Tuyên giáo {p}", "Trưởng Ban Tuyên giáo {p}", "Ủy viên Ban Thường vụ {p}",
                "Trưởng Ban Dân vận {p}", "Phó Chủ tịch UBND {p}"]
ORGS = ["Đảng ủy", "UBND", "Ủy ban MTTQ", "Ban Tuyên giáo", "Hội đồng nhân dân", "Đoàn Thanh niên"]
MEETING_SUBJECTS = [
    "sơ kết công tác xây dựng Đảng 6 tháng đầu năm {y}", "tổng kết công tác tuyên giáo năm {y}",
    "giao ban công tác dư luận xã hội quý {q}/{y}", "triển khai nhiệm vụ phát triển kinh tế - xã hội năm {y}",
    "học tập, quán triệt Nghị quyết Trung ương", "lấy ý kiến góp ý dự thảo văn kiện Đại hội",
    "đối thoại giữa người đứng đầu cấp ủy, chính quyền với Nhân dân", "tập huấn nghiệp vụ cho cộng tác viên dư luận xã hội",
    "sơ kết công tác giải phóng mặt bằng các dự án trên địa bàn", "tổng kết phong trào Toàn dân đoàn kết xây dựng đời sống văn hóa",
    "giao ban khối dân vận", "kỳ họp thứ {n} Hội đồng nhân dân nhiệm kỳ 2021 - 2026",
    "triển khai công tác tuyển chọn, gọi công dân nhập ngũ năm {y}", "đánh giá kết quả thực hiện chuyển đổi số",
    "tổng kết công tác phòng, chống thiên tai", "nâng cao chất lượng công tác nắm bắt, định hướng dư luận xã hội",
]
NEWS_SUBJECTS = [
    "ra quân tổng vệ sinh môi trường", "trao quà cho học sinh có hoàn cảnh khó khăn", "ra mắt mô hình camera an ninh",
    "bàn giao mặt bằng thực hiện dự án", "lễ giao nhận quân năm {y}", "ngày hội Đại đoàn kết toàn dân tộc",
    "đẩy mạnh dịch vụ công trực tuyến", "cấp căn cước và định danh điện tử cho người dân",
    "kết nạp đảng viên mới", "trao quà Tết cho các gia đình chính sách", "hưởng ứng Tết trồng cây đời đời nhớ ơn Bác Hồ",
    "phun khử khuẩn phòng, chống dịch bệnh", "ra mắt mô hình tuyến phố văn minh", "khánh thành nhà văn hóa tổ dân phố",
    "tổ chức giải bóng đá thiếu niên", "tuyên truyền phòng, chống cháy nổ", "xây dựng nông thôn mới nâng cao",
    "chỉnh trang vỉa hè, lòng đường", "ra quân thu thuế phi nông nghiệp", "tổ chức hiến máu tình nguyện",
]
OPINION_TITLES = [
    "Tình hình dư luận xã hội {period} trên địa bàn {unit}", "Giao ban dư luận xã hội {period}",
    "Tổng hợp dư luận xã hội {period}", "{unit}: kết quả nắm bắt dư luận xã hội {period}",
]
CONCERNS = [
    "Giá cả hàng hóa thiết yếu tăng", "Tiến độ bồi thường, giải phóng mặt bằng", "Lấn chiếm vỉa hè, lòng đường",
    "Thu gom rác thải ven đê", "Ô nhiễm tiếng ồn từ các công trình xây dựng", "Cấp giấy chứng nhận quyền sử dụng đất",
    "Tái định cư cho các hộ bị thu hồi đất", "Hỗ trợ người lao động mất việc", "An toàn giao thông trước cổng trường",
    "Ngập úng khi mưa lớn", "Thông tin sai lệch trên mạng xã hội", "Chất lượng nước sinh hoạt",
    "Thủ tục hành chính trực tuyến", "Tình trạng trộm cắp tài sản", "Chi trả chế độ cho người có công",
]
AGENCIES = ["UBND {u}", "Công an {u}", "Ban Quản lý dự án {p}", "Phòng Tài nguyên và Môi trường {p}", "UBND {p}"]
PLACES = ["Hội trường UBND {u}", "Phòng họp số {n} - Đảng ủy {u}", "Nhà văn hóa tổ dân phố số {n}",
          "Trung tâm Chính trị {p}", "Hội trường Ủy ban MTTQ {u}"]
CAPTIONS = ["Quang cảnh hội nghị", "Đồng chí {person} phát biểu tại hội nghị", "Các đại biểu tham dự",
            "Lực lượng đoàn viên thanh niên ra quân", "Trao quà cho các gia đình chính sách",
            "Cộng tác viên dư luận xã hội trao đổi nghiệp vụ", "Người dân làm thủ tục tại bộ phận một cửa"]
DOC_KINDS = [("NQ", "Nghị quyết"), ("KH", "Kế hoạch"), ("QĐ", "Quyết định"), ("CT", "Chỉ thị"), ("BC", "Báo cáo")]

def inline(unit: dict) -> str:
    """'Phường Ngọc Thụy' as it reads inside a sentence: 'phường Ngọc Thụy'."""
    return unit["level"] + unit["name"][len(unit["level"]):]


_NOISE = re.compile(r"Ngày đăng|Lượt xem|View count|PublishingPortal|online|Tăng cỡ chữ|thời tiết|Truy cập")


def seed_text(seeds: Path) -> tuple[list[str], list[str]]:
    """(sentences, clauses) from the seed articles, in a stable order."""
    sentences: list[str] = []
    for path in sorted(seeds.glob("*.txt")):
        for para in path.read_text(encoding="utf-8").split("\n"):
            para = " ".join(para.split())
            # Headlines, captions and page furniture have no final stop: only running text is kept.
            if len(para.split()) < 12 or _NOISE.search(para) or para[-1] not in ".…/":
                continue
            for s in re.split(r"(?<=[.;…])\s+(?=[A-ZĐÀ-Ỹ“\"(])", para):
                s = s.strip()
                if len(s.split()) >= 8 and (s[0].isupper() or s[0] in "“\"("):
                    sentences.append(s if s[-1] in ".…/" else s.rstrip(";:,") + ".")
    if not sentences:
        raise SystemExit(f"no seed text found in {seeds}")
    clauses = []
    for s in sentences:
        for c in re.split(r"[,;:]\s+", s.rstrip(".…/ ")):
            if 5 <= len(c.split()) <= 24 and not c.startswith("("):
                clauses.append(c.strip())
    return sentences, clauses


def _lower_first(text: str) -> str:
    """A clause inside a sentence: ordinary words lose their capital, names and acronyms keep it."""
    first = text.split(" ", 1)[0]
    return text if first.isupper() or first in _PROPER_STARTS else text[0].lower() + text[1:]


def _upper_first(text: str) -> str:
    return text[0].upper() + text[1:]


_PROPER_STARTS = {"Ban", "Đảng", "Nhà", "Nhân", "Quận", "Huyện", "Thị", "Tỉnh", "Thành", "Hội", "Quốc", "Bộ",
                  "Chính", "Trung", "Mặt", "Đoàn", "Ủy", "Thường", "Tổ", "Đồng", "Đ/c", "Internet", "Covid-19"}


# ----------------------------------------------------------------- records

@dataclass
class Record:
    """One synthetic bulletin, independent of the layout it is written in."""

    index: int
    kind: str
    title: str
    slug: str
    date: datetime
    category: str
    unit: str
    topics: list[str]
    body: str
    summary: Optional[str] = None
    image: str = ""
    alt: str = ""
    caption: str = ""
    cover: bool = True           # the photo as front-matter cover (else a figure in the body)
    source: Optional[str] = None
    meeting: Optional[dict] = None
    opinion: Optional[dict] = None


class Writer:
    """Makes records from one seeded random stream; nothing here depends on the clock."""

    def __init__(self, seed: int, seeds: Path = SEEDS):
        self.rng = Random(seed)
        self.sentences, self.clauses = seed_text(seeds)
        self.units = [{"key": slugify(name), "name": name, "level": level, "parent": slugify(parent) if parent else None}
                      for name, level, parent in UNITS]
        self.unit_by_key = {u["key"]: u for u in self.units}
        weights = {"tỉnh": 1.0, "thành phố": 1.2, "quận": 1.6, "huyện": 1.6, "thị xã": 1.6}
        self.unit_weights = [weights.get(u["level"], 1.0) for u in self.units]

    # -- small pieces

    def person(self) -> str:
        r = self.rng
        return f"{r.choice(FAMILY)} {r.choice(MIDDLE)} {r.choice(GIVEN)}"

    def parent_name(self, unit: dict) -> str:
        return inline(self.unit_by_key.get(unit["parent"] or "") or unit)

    def fill(self, template: str, unit: dict, date: datetime) -> str:
        r = self.rng
        return template.format(u=inline(unit), p=inline(self.unit_by_key.get(unit["parent"] or "") or unit), y=date.year, q=["I", "II", "III", "IV"][(date.month - 1) // 3],
                               n=r.randint(2, 12), person=self.person(), unit=unit["name"], period="")

    def sentence(self, unit: dict, date: datetime, short: bool = False) -> str:
        """A seed sentence as written, or a new one built from seed clauses around a local fact."""
        r = self.rng
        if not short and r.random() < 0.45:
            return r.choice(self.sentences)
        openers = [
            f"Ngày {r.randint(1, 28):02d}/{date.month:02d}/{date.year}, tại {self.fill(r.choice(PLACES), unit, date)}",
            f"Đồng chí {self.person()} – {self.fill(r.choice(ROLES), unit, date)} cho biết",
            f"Theo báo cáo của {r.choice(ORGS)} {inline(unit)}",
            f"Trong {r.choice(['tháng', 'quý', 'năm'])} qua, trên địa bàn {inline(unit)}",
            f"Với {r.randint(5, 120)} ý kiến phát biểu",
            f"Đến nay, {r.randint(60, 100)}% hộ gia đình",
        ]
        parts = [r.choice(openers)] + [r.choice(self.clauses) for _ in range(1 if short else r.randint(1, 2))]
        return ", ".join([parts[0], *map(_lower_first, parts[1:])]) + "."

    def body(self, unit: dict, date: datetime, words: int, figure: Optional[str]) -> str:
        """About `words` words (some 600 to 1,000, median 780) in 6 to 12 paragraphs, with one `##` heading, one
        bulleted list and the captioned photo: the shape of the articles on the portals measured."""
        r = self.rng
        items = [f"- {_upper_first(r.choice(self.clauses))};" for _ in range(r.randint(3, 5))]
        count = sum(len(i.split()) for i in items)
        sentences: list[str] = []
        while count < words:
            s = self.sentence(unit, date, short=count + 30 > words)
            sentences.append(s)
            count += len(s.split())
        n = min(max(6, r.randint(6, 12)), len(sentences))
        cuts = sorted(r.sample(range(1, len(sentences)), n - 1)) if n > 1 else []
        paras = [" ".join(sentences[a:b]) for a, b in zip([0, *cuts], [*cuts, len(sentences)])]
        middle = len(paras) // 2
        paras.insert(middle, "\n".join(items))
        paras.insert(middle, "## " + _upper_first(r.choice(self.clauses)).rstrip(".;,"))
        if figure:
            paras.insert(min(2, len(paras)), figure)
        return "\n\n".join(paras) + "\n"

    # -- blocks

    def meeting(self, unit: dict, date: datetime) -> dict:
        r = self.rng
        start = (date - timedelta(days=r.randint(0, 2))).replace(hour=r.choice([8, 9, 14, 15]), minute=r.choice([0, 30]))
        block = {"start": start.strftime("%Y-%m-%d %H:%M"),
                 "location": self.fill(r.choice(PLACES), unit, date),
                 "format": r.choice(["hội nghị", "tọa đàm", "giao ban", "hội thảo", "họp", "tập huấn", "đối thoại"]),
                 "chairs": [{"name": self.person(), "role": self.fill(r.choice(ROLES), unit, date)}
                            for _ in range(r.randint(1, 2))]}
        if r.random() < 0.6:
            block["end"] = (start + timedelta(hours=r.randint(2, 4))).strftime("%Y-%m-%d %H:%M")
        if r.random() < 0.7:
            block["guests"] = [{"name": self.person(), "role": self.fill(r.choice(PARENT_ROLES), unit, date)}
                               for _ in range(r.randint(1, 2))]
        block["participants"] = _upper_first(r.choice(self.clauses))
        block["contributions"] = r.randint(3, 25)
        if r.random() < 0.5:
            code, name = r.choice(DOC_KINDS)
            doc_date = date - timedelta(days=r.randint(10, 400))
            block["documents"] = [{"number": f"{r.randint(1, 400)}-{code}/ĐU", "date": doc_date.strftime("%Y-%m-%d"),
                                   "title": f"{name} về {_lower_first(r.choice(self.clauses))}"}]
        block["conclusions"] = [_upper_first(r.choice(self.clauses)) for _ in range(r.randint(2, 4))]
        return block

    def opinion(self, unit: dict, date: datetime, topics: list[str]) -> tuple[dict, str]:
        r = self.rng
        shape = r.choice(["month", "quarter", "year"])
        if shape == "month":
            period, label = f"{date.year}-{date.month:02d}", f"tháng {date.month}/{date.year}"
        elif shape == "quarter":
            q = (date.month - 1) // 3 + 1
            period, label = f"{date.year}-Q{q}", f"quý {['I', 'II', 'III', 'IV'][q - 1]}/{date.year}"
        else:
            period, label = f"{date.year}", f"năm {date.year}"
        concerns = []
        for _ in range(r.randint(2, 5)):
            status = r.choice(["pending", "in-progress", "answered"])
            response = {"agency": self.fill(r.choice(AGENCIES), unit, date), "status": status}
            if status == "answered":
                response["answer"] = self.sentence(unit, date)
            concerns.append({"topic": r.choice(topics), "title": r.choice(CONCERNS),
                             "summary": self.sentence(unit, date), "response": response})
        block = {"period": period, "network": r.randint(10, 40), "reports": r.randint(20, 300),
                 "concerns": concerns, "recommendations": [_upper_first(r.choice(self.clauses)) for _ in range(r.randint(2, 4))]}
        return block, label

    # -- a whole record

    def record(self, index: int, date: datetime) -> Record:
        r = self.rng
        kind = r.choices([k for k, _ in KINDS], [w for _, w in KINDS])[0]
        unit = r.choices(self.units, self.unit_weights)[0]
        topics = r.sample([k for k, _ in TOPICS] + UNDECLARED_TOPICS, r.randint(2, 4))
        category = r.choice(CATEGORY_BY_KIND[kind])
        meeting = opinion = None
        if kind == "meeting":
            meeting = self.meeting(unit, date)
            title = f"{r.choice(ORGS)} {inline(unit)} tổ chức {meeting['format']} " \
                    + self.fill(r.choice(MEETING_SUBJECTS), unit, date)
        elif kind == "opinion":
            if "du-luan-xa-hoi" not in topics:
                topics = ["du-luan-xa-hoi", *topics[:2]]
            opinion, label = self.opinion(unit, date, topics)
            title = r.choice(OPINION_TITLES).format(period=label, unit=inline(unit))
        else:
            title = f"{unit['name']} {self.fill(r.choice(NEWS_SUBJECTS), unit, date)}"
        title = title[0].upper() + title[1:]
        slug = f"{slugify(title, max_length=60)}-{index}"
        image = f"/media/anh-{r.randint(1, MEDIA_COUNT):02d}.jpg"
        caption = self.fill(r.choice(CAPTIONS), unit, date)
        cover = r.random() < 0.85
        inside = f"/media/anh-{r.randint(1, MEDIA_COUNT):02d}.jpg"
        figure = f'![{caption}]({inside} "{caption} ({unit["name"]})")'      # one captioned photo in every body
        body = self.body(unit, date, r.randint(MIN_WORDS, MAX_WORDS), figure)
        summary = body.split("\n\n")[0].split(". ")[0].rstrip(".") + "." if r.random() < 0.8 else None
        if summary and summary.startswith(("- ", "![")):
            summary = None
        return Record(index, kind, title, slug, date, category, unit["key"], topics, body, summary,
                      image, caption, f"{caption} ({unit['name']})", cover,
                      source=r.choice([None, None, f"Ban Tuyên giáo {self.parent_name(unit)}", "Tổ DLXH"]),
                      meeting=meeting, opinion=opinion)

    def records(self, n: int) -> list[Record]:
        days = (END - START).days + 1
        dates = sorted(START + timedelta(days=self.rng.randrange(days), hours=self.rng.randint(7, 21),
                                         minutes=self.rng.randrange(60)) for _ in range(n))
        return [self.record(i + 1, d) for i, d in enumerate(dates)]


# ----------------------------------------------------------------- layouts

def _yaml(data) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000, default_flow_style=False)


def bantin_file(rec: Record) -> str:
    meta: dict = {"title": rec.title, "slug": rec.slug, "date": rec.date.strftime("%Y-%m-%d %H:%M"),
                  "category": rec.category, "unit": rec.unit, "topics": rec.topics}
    if rec.summary:
        meta["summary"] = rec.summary
    if rec.cover:
        meta["image"], meta["caption"] = rec.image, rec.caption
    if rec.source:
        meta["source"] = rec.source
    if rec.meeting:
        meta["meeting"] = rec.meeting
    if rec.opinion:
        meta["opinion"] = rec.opinion
    return f"---\n{_yaml(meta)}---\n\n{rec.body}"


def blog_file(rec: Record, units: dict, categories: dict) -> str:
    """The same post for Material's blog plugin: its blocks become Markdown, its unit a category."""
    meta = {"date": rec.date.date(), "slug": rec.slug,
            "categories": [categories[rec.category], units[rec.unit]["name"]]}
    parts = [f"# {rec.title}"]
    if rec.summary:
        parts.append(f"**{rec.summary}**")
    parts.append("<!-- more -->")
    return f"---\n{_yaml(meta)}---\n\n" + "\n\n".join(parts + markdown_blocks(rec))


def hugo_file(rec: Record, units: dict, categories: dict) -> str:
    """The same post for Hugo: section, unit and topics as taxonomies, the blocks as Markdown."""
    meta = {"title": rec.title, "date": rec.date.strftime("%Y-%m-%dT%H:%M:%S+07:00"), "slug": rec.slug,
            "categories": [categories[rec.category]], "units": [units[rec.unit]["name"]], "tags": rec.topics}
    if rec.summary:
        meta["summary"] = rec.summary
    return f"---\n{_yaml(meta)}---\n\n" + "\n\n".join(markdown_blocks(rec))


def markdown_blocks(rec: Record) -> list[str]:
    """The cover, the meeting card and the opinion block as plain Markdown, then the body."""
    parts = []
    if rec.cover:
        parts.append(f'![{rec.alt}]({rec.image} "{rec.caption}")')
    if rec.meeting:
        m = rec.meeting
        lines = [f"## {m['format'].capitalize()}", f"- Thời gian: {m['start']}", f"- Địa điểm: {m['location']}"]
        lines += [f"- Chủ trì: {p['name']} – {p['role']}" for p in m["chairs"]]
        lines += [f"- Dự chỉ đạo: {p['name']} – {p['role']}" for p in m.get("guests", [])]
        lines += [f"- Ý kiến phát biểu: {m['contributions']}"]
        lines += ["", "Kết luận:", ""] + [f"{i}. {c}" for i, c in enumerate(m["conclusions"], 1)]
        parts.append("\n".join(lines))
    if rec.opinion:
        o = rec.opinion
        lines = ["## Tổng hợp dư luận xã hội", f"- Mạng lưới cộng tác viên: {o['network']} người",
                 f"- Báo cáo nhận được: {o['reports']}", ""]
        for c in o["concerns"]:
            lines += [f"### {c['title']}", "", c["summary"], "", f"*{c['response']['agency']}*: {c['response']['status']}", ""]
        lines += ["Kiến nghị:", ""] + [f"- {x}" for x in o["recommendations"]]
        parts.append("\n".join(lines))
    parts.append(rec.body)
    return parts


BLOG_CONFIG = """\
site_name: Cổng thông tin (blog)
site_url: https://bantin.example.vn/
use_directory_urls: true
theme:
  name: material
  language: vi
  font: false
  features:
    - navigation.tabs
plugins:
  - blog
validation:
  nav:
    omitted_files: ignore
    not_found: warn
  links:
    absolute_links: ignore
    unrecognized_links: ignore
"""


HUGO_CONFIG = """\
baseURL = "https://bantin.example.vn/"
languageCode = "vi"
title = "Cổng thông tin (Hugo)"
[taxonomies]
  category = "categories"
  unit = "units"
  tag = "tags"
[pagination]
  pagerSize = 10
[permalinks]
  posts = "/:year/:month/:slug/"
"""
# A small theme of the kind a portal would have: a frame with the sections, a bulletin page, listings.
HUGO_LAYOUTS = {
    "_default/baseof.html": """<!doctype html><html lang="vi"><head><meta charset="utf-8">
<title>{{ .Title }} - {{ site.Title }}</title><meta name="viewport" content="width=device-width, initial-scale=1">
{{ with .OutputFormats.Get "rss" }}<link rel="alternate" type="application/rss+xml" href="{{ .Permalink }}">{{ end }}
</head><body><header><a href="{{ site.Home.RelPermalink }}">{{ site.Title }}</a><nav>
{{ range site.Taxonomies.categories }}<a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a> {{ end }}</nav></header>
<main>{{ block "main" . }}{{ end }}</main><footer>{{ site.Title }}</footer></body></html>
""",
    "_default/single.html": """{{ define "main" }}<article><p>{{ range .GetTerms "categories" }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a>{{ end }}</p>
<h1>{{ .Title }}</h1><p>Ngày đăng {{ .Date.Format "02/01/2006 | 15:04" }}
{{ range .GetTerms "units" }} · <a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a>{{ end }}</p>
{{ with .Params.summary }}<p><strong>{{ . }}</strong></p>{{ end }}
{{ .Content }}
<p>{{ range .GetTerms "tags" }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a> {{ end }}</p>
{{ with .PrevInSection }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}
{{ with .NextInSection }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}
</article>{{ end }}
""",
    "_default/list.html": """{{ define "main" }}<h1>{{ .Title }}</h1>
{{ range (.Paginate (where .RegularPagesRecursive "Section" "posts")).Pages }}
<article><h2><a href="{{ .RelPermalink }}">{{ .Title }}</a></h2><p>{{ .Date.Format "02/01/2006" }}</p><p>{{ .Summary }}</p></article>
{{ end }}{{ template "_internal/pagination.html" . }}{{ end }}
""",
}


def write_hugo(dest: Path, writer: Writer, records: list[Record]) -> None:
    (dest / "content" / "posts").mkdir(parents=True, exist_ok=True)
    (dest / "hugo.toml").write_text(HUGO_CONFIG, encoding="utf-8")
    for name, text in HUGO_LAYOUTS.items():
        (dest / "layouts" / name).parent.mkdir(parents=True, exist_ok=True)
        (dest / "layouts" / name).write_text(text, encoding="utf-8")
    write_media(dest / "static" / "media", Random(0))
    units = {u["key"]: u for u in writer.units}
    categories = {k: n for k, n, _ in CATEGORIES}
    for rec in records:
        (dest / "content" / "posts" / f"{rec.slug}.md").write_text(hugo_file(rec, units, categories), encoding="utf-8")


def write_media(folder: Path, rng: Random) -> None:
    """A few small photos (Pillow), shared by every bulletin."""
    from PIL import Image, ImageDraw

    folder.mkdir(parents=True, exist_ok=True)
    for i in range(1, MEDIA_COUNT + 1):
        img = Image.new("RGB", (640, 427), tuple(rng.randint(60, 200) for _ in range(3)))
        draw = ImageDraw.Draw(img)
        for _ in range(12):
            x, y = rng.randint(0, 600), rng.randint(0, 400)
            draw.rectangle([x, y, x + rng.randint(20, 200), y + rng.randint(20, 150)],
                           fill=tuple(rng.randint(0, 255) for _ in range(3)))
        buf = io.BytesIO()
        img.save(buf, "JPEG", quality=70)
        (folder / f"anh-{i:02d}.jpg").write_bytes(buf.getvalue())


def link_project(dest: Path, config: Path, theme: Path) -> None:
    """The configuration and theme of the Bantin being measured: copied and linked anew on every run."""
    shutil.copy(config, dest / "mkdocs.yml")
    link = dest / "theme_overrides"
    if link.is_symlink() or link.exists():
        link.unlink() if link.is_symlink() else shutil.rmtree(link)
    link.symlink_to(theme.resolve(), target_is_directory=True)


def write_bantin(dest: Path, writer: Writer, records: list[Record], config: Path, theme: Path) -> None:
    content = dest / "content"
    (content / "bulletins").mkdir(parents=True, exist_ok=True)
    link_project(dest, config, theme)
    (content / "units.yml").write_text(_yaml([{k: v for k, v in u.items() if v} for u in writer.units]), encoding="utf-8")
    (content / "categories.yml").write_text(
        _yaml([{"key": k, "name": n, "description": d} for k, n, d in CATEGORIES]), encoding="utf-8")
    (content / "topics.yml").write_text(_yaml([{"key": k, "name": n} for k, n in TOPICS]), encoding="utf-8")
    write_media(content / "media", Random(0))
    for rec in records:
        folder = content / "bulletins" / f"{rec.date.year:04d}"
        folder.mkdir(exist_ok=True)
        (folder / f"{rec.slug}.md").write_text(bantin_file(rec), encoding="utf-8")


def write_blog(dest: Path, writer: Writer, records: list[Record]) -> None:
    docs = dest / "docs"
    posts = docs / "blog" / "posts"
    posts.mkdir(parents=True, exist_ok=True)
    (dest / "mkdocs.yml").write_text(BLOG_CONFIG, encoding="utf-8")
    (docs / "index.md").write_text("# Cổng thông tin\n\nTin tức của các phường, xã.\n", encoding="utf-8")
    (docs / "blog" / "index.md").write_text("# Tin tức\n", encoding="utf-8")
    write_media(docs / "media", Random(0))
    units = {u["key"]: u for u in writer.units}
    categories = {k: n for k, n, _ in CATEGORIES}
    for rec in records:
        (posts / f"{rec.slug}.md").write_text(blog_file(rec, units, categories), encoding="utf-8")


def stamp(n: int, seed: int, seeds: Path) -> str:
    """What the corpus depends on: a folder with the same stamp need not be written again."""
    h = hashlib.sha256(Path(__file__).read_bytes())
    for path in sorted(seeds.glob("*.txt")):
        h.update(path.read_bytes())
    h.update(json.dumps([n, seed, FORMAT_VERSION]).encode())
    return h.hexdigest()[:16]


def generate(n: int, dest: Path, *, seed: int = 2024, layouts=("bantin", "blog"), seeds: Path = SEEDS,
             config: Path = ROOT / "mkdocs.yml", theme: Path = ROOT / "theme_overrides") -> Path:
    """Write the corpus (once per stamp); mkdocs.yml and the theme link are refreshed every time."""
    dest = Path(dest)
    mark = stamp(n, seed, seeds)
    writer = records = None
    for layout in layouts:
        target = dest / layout
        stamp_file = target / ".corpus-stamp"
        if stamp_file.exists() and stamp_file.read_text() == mark:
            if layout == "bantin":
                link_project(target, config, theme)
            continue
        if target.exists():
            shutil.rmtree(target)
        if records is None:
            writer = Writer(seed, seeds)
            records = writer.records(n)
        if layout == "bantin":
            write_bantin(target, writer, records, config, theme)
        elif layout == "hugo":
            write_hugo(target, writer, records)
        else:
            write_blog(target, writer, records)
        stamp_file.write_text(mark)
    return dest


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("n", type=int, help="number of bulletins")
    ap.add_argument("dest", type=Path, help="output folder (gets bantin/ and blog/)")
    ap.add_argument("--seed", type=int, default=2024)
    ap.add_argument("--layout", choices=["bantin", "blog", "both"], default="both")
    ap.add_argument("--seeds", type=Path, default=SEEDS, help="folder of seed articles (*.txt)")
    args = ap.parse_args(argv)
    layouts = ("bantin", "blog") if args.layout == "both" else (args.layout,)
    generate(args.n, args.dest, seed=args.seed, layouts=layouts, seeds=args.seeds)
    print(f"{args.n} bulletins in {args.dest}")


if __name__ == "__main__":
    main()
