"""Languages a résumé can be typeset in: section titles, "Present", month names, dates, /Lang.

A language is data: its labels, its month abbreviations, how a month and year are written, and
the BCP 47 tag that goes into the PDF's /Lang and the HTML's lang. The content may override any
label (`[labels]`, per variant too); everything else about a language lives here.
"""

from __future__ import annotations

from dataclasses import dataclass, field

SECTION_KEYS = ("summary", "work", "education", "skills", "projects", "awards", "publications", "languages",
                "volunteer", "certificates", "interests", "references")


@dataclass(frozen=True)
class Locale:
    code: str  # BCP 47: the PDF's /Lang, the HTML's lang
    name: str  # the language's own name
    labels: dict[str, str]  # section key -> title, plus "present" and "score"
    months: tuple[str, ...]  # twelve abbreviations
    month_year: str = "{month} {year}"  # how a month of a year is written
    year: str = "{year}"
    cjk: bool = False  # set with a CJK font (LuaLaTeX)
    french_spacing: bool = False  # a space typed before : ; ! ? » or after « never breaks; "Mention : Bien"
    extra: dict[str, str] = field(default_factory=dict)

    def date(self, year: int, month: int = 0) -> str:
        if month:
            return self.month_year.format(month=self.months[month - 1], year=year, m=month)
        return self.year.format(year=year)


def _labels(*titles: str, present: str, score: str) -> dict[str, str]:
    return {**dict(zip(SECTION_KEYS, titles, strict=True)), "present": present, "score": score}


LOCALES: dict[str, Locale] = {
    "en": Locale("en", "English", _labels(
        "Summary", "Experience", "Education", "Skills", "Projects", "Awards", "Publications", "Languages",
        "Volunteering", "Certificates", "Interests", "References", present="Present", score="Score"),
        tuple("Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split())),
    "fr": Locale("fr", "Français", _labels(
        "Profil", "Expérience professionnelle", "Formation", "Compétences", "Projets", "Distinctions",
        "Publications", "Langues", "Bénévolat", "Certifications", "Centres d’intérêt", "Références",
        present="aujourd’hui", score="Mention"),
        ("janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc."),
        french_spacing=True),
    "de": Locale("de", "Deutsch", _labels(
        "Profil", "Berufserfahrung", "Ausbildung", "Kenntnisse", "Projekte", "Auszeichnungen", "Publikationen",
        "Sprachen", "Ehrenamt", "Zertifikate", "Interessen", "Referenzen", present="heute", score="Note"),
        ("Jan.", "Feb.", "März", "Apr.", "Mai", "Juni", "Juli", "Aug.", "Sept.", "Okt.", "Nov.", "Dez.")),
    "es": Locale("es", "Español", _labels(
        "Perfil", "Experiencia", "Formación", "Competencias", "Proyectos", "Premios", "Publicaciones",
        "Idiomas", "Voluntariado", "Certificaciones", "Intereses", "Referencias", present="actualidad",
        score="Nota"),
        ("ene.", "feb.", "mar.", "abr.", "may.", "jun.", "jul.", "ago.", "sept.", "oct.", "nov.", "dic.")),
    "pt": Locale("pt", "Português", _labels(
        "Perfil", "Experiência profissional", "Formação", "Competências", "Projetos", "Distinções",
        "Publicações", "Idiomas", "Voluntariado", "Certificações", "Interesses", "Referências",
        present="atual", score="Nota"),
        ("jan.", "fev.", "mar.", "abr.", "maio", "jun.", "jul.", "ago.", "set.", "out.", "nov.", "dez.")),
    "it": Locale("it", "Italiano", _labels(
        "Profilo", "Esperienza professionale", "Istruzione", "Competenze", "Progetti", "Riconoscimenti",
        "Pubblicazioni", "Lingue", "Volontariato", "Certificazioni", "Interessi", "Referenze",
        present="oggi", score="Voto"),
        ("gen.", "feb.", "mar.", "apr.", "mag.", "giu.", "lug.", "ago.", "set.", "ott.", "nov.", "dic.")),
    "nl": Locale("nl", "Nederlands", _labels(
        "Profiel", "Werkervaring", "Opleiding", "Vaardigheden", "Projecten", "Prijzen", "Publicaties", "Talen",
        "Vrijwilligerswerk", "Certificaten", "Interesses", "Referenties", present="heden", score="Cijfer"),
        ("jan.", "feb.", "mrt.", "apr.", "mei", "jun.", "jul.", "aug.", "sep.", "okt.", "nov.", "dec.")),
    "pl": Locale("pl", "Polski", _labels(
        "Podsumowanie", "Doświadczenie zawodowe", "Wykształcenie", "Umiejętności", "Projekty", "Nagrody",
        "Publikacje", "Języki", "Wolontariat", "Certyfikaty", "Zainteresowania", "Referencje",
        present="obecnie", score="Ocena"),
        ("sty", "lut", "mar", "kwi", "maj", "cze", "lip", "sie", "wrz", "paź", "lis", "gru")),
    "sv": Locale("sv", "Svenska", _labels(
        "Profil", "Arbetslivserfarenhet", "Utbildning", "Kompetenser", "Projekt", "Utmärkelser",
        "Publikationer", "Språk", "Ideellt arbete", "Certifikat", "Intressen", "Referenser",
        present="nu", score="Betyg"),
        ("jan.", "feb.", "mars", "apr.", "maj", "juni", "juli", "aug.", "sep.", "okt.", "nov.", "dec.")),
    "zh": Locale("zh", "中文", _labels(
        "个人简介", "工作经历", "教育背景", "技能", "项目经历", "获奖情况", "出版物", "语言能力", "志愿服务",
        "证书", "兴趣爱好", "推荐人", present="至今", score="成绩"),
        tuple(f"{m}月" for m in range(1, 13)), month_year="{year}年{m}月", year="{year}年", cjk=True),
    "ja": Locale("ja", "日本語", _labels(
        "職務要約", "職歴", "学歴", "スキル", "プロジェクト", "受賞歴", "著作・論文", "語学", "ボランティア活動",
        "資格", "趣味・関心", "推薦者", present="現在", score="成績"),
        tuple(f"{m}月" for m in range(1, 13)), month_year="{year}年{m}月", year="{year}年", cjk=True),
    "ko": Locale("ko", "한국어", _labels(
        "요약", "경력", "학력", "기술", "프로젝트", "수상 경력", "출판물", "언어", "봉사 활동", "자격증",
        "관심사", "추천인", present="현재", score="학점"),
        tuple(f"{m}월" for m in range(1, 13)), month_year="{year}년 {m}월", year="{year}년", cjk=True),
}
DEFAULT = "en"


def get(code: str) -> Locale:
    """The locale for a language tag ("fr", "fr-CA" -> French, with the full tag as /Lang)."""
    primary = code.split("-")[0].lower()
    if primary not in LOCALES:
        raise KeyError(code)
    found = LOCALES[primary]
    return found if code == found.code else Locale(code, found.name, found.labels, found.months,
                                                  found.month_year, found.year, found.cjk, found.french_spacing,
                                                  found.extra)


def known() -> list[str]:
    return sorted(LOCALES)
