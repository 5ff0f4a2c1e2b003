"""Name normalisation: the same function prepares listed names and screened names.

Steps, in order:

1. remove invisible characters (zero-width spaces and joiners, soft hyphens, BOM) and
   map Cyrillic/Greek look-alike letters inside Latin words to Latin (homoglyph attacks);
2. transliterate to ASCII (Unicode NFKD + accent stripping for Latin text; rigour's ICU
   transliteration for other scripts);
3. lowercase, tokenise (rigour's name normaliser), ``&`` → ``and``; a word one typo away
   from a legal form or business word ("LIMMITED", "HOLDIGNS", "COMPNAY") becomes that word;
4. legal forms canonicalised with rigour's org-type database in *generic* mode, so
   "Limited Liability Company", "L.L.C.", "Inc." and "Co., Ltd." all become one token;
5. business-word abbreviations expanded (Intl → international, Trdg → trading, ...);
6. stop words (of, the, and, de, ...) dropped;
7. each token reduced to a *skeleton* that removes spelling differences of transliteration
   (doubled letters, kh/h, ph/f, ou/u, ee/i, y/i, q/k, ...), after mapping common given
   names to one form (Mohammed/Muhammad/Mohamad → muhamad, Yusuf/Youssef → yusuf, ...).

The skeleton tokens are what is compared; the display tokens (after step 6) are kept
next to them so explanations show readable words.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import process
from rapidfuzz.distance import OSA
from rigour.names import normalize_name, remove_org_types, replace_org_types_compare
from rigour.text.translit import ascii_text

# --------------------------------------------------------------------------- tables

_INVISIBLE = dict.fromkeys(
    map(
        ord,
        "\u200b\u200c\u200d\u200e\u200f\u2060\u2061\u2062\u2063\u2064\ufeff\u00ad\u034f"
        "\u180e\u202a\u202b\u202c\u202d\u202e",
    ),
    None,
)

# Cyrillic and Greek letters that look like Latin ones. Applied only to words that also
# contain Latin letters: a word written fully in Cyrillic is transliterated instead.
_CONFUSABLES = str.maketrans(
    "АВСЕНІЈКМОРЅТХУаеіјоԁрсѕхуԛԝЬьѴѵΑΒΕΖΗΙΚΜΝΟΡΤΥΧαβεικνορτυχ",
    "ABCEHIJKMOPSTXYaeijodpcsxyqwbbVvABEZHIKMNOPTYXabeiknoptux",
)
_LATIN_RE = re.compile(r"[A-Za-z]")
_NON_LATIN_LETTER_RE = re.compile(r"[\u0370-\u03ff\u0400-\u04ff\u0500-\u052f]")

STOPWORDS = frozenset(
    "and of the de del della der des di du la le les los las y e et und for a an van von "
    "da do dos das al-".split()
)

# Written-out or abbreviated business words → one form (both sides get the same form).
BUSINESS_WORDS: dict[str, str] = {
    "intl": "international",
    "int'l": "international",
    "internat": "international",
    "trdg": "trading",
    "trd": "trading",
    "tradg": "trading",
    "co": "company",
    "cie": "company",
    "cia": "company",
    "comp": "company",
    "corp": "corporation",
    "corpn": "corporation",
    "mfg": "manufacturing",
    "mfrs": "manufacturers",
    "mfr": "manufacturer",
    "ind": "industries",
    "inds": "industries",
    "industry": "industries",
    "industrial": "industries",
    "svc": "services",
    "svcs": "services",
    "serv": "services",
    "service": "services",
    "grp": "group",
    "hldg": "holding",
    "hldgs": "holding",
    "holdings": "holding",
    "bros": "brothers",
    "assoc": "association",
    "assn": "association",
    "natl": "national",
    "nat": "national",
    "dept": "department",
    "univ": "university",
    "inst": "institute",
    "tech": "technology",
    "techn": "technology",
    "technologies": "technology",
    "eng": "engineering",
    "engg": "engineering",
    "engr": "engineering",
    "elec": "electronics",
    "electronic": "electronics",
    "dev": "development",
    "devt": "development",
    "mgmt": "management",
    "mgt": "management",
    "invest": "investment",
    "investments": "investment",
    "ent": "enterprise",
    "enterprises": "enterprise",
    "exp": "export",
    "imp": "import",
    "exports": "export",
    "imports": "import",
    "gen": "general",
    "shpg": "shipping",
    "trans": "transport",
    "transp": "transport",
    "transportation": "transport",
    "logist": "logistics",
    "petrol": "petroleum",
    "chem": "chemical",
    "chemicals": "chemical",
    "pharm": "pharmaceutical",
    "pharma": "pharmaceutical",
    "pharmaceuticals": "pharmaceutical",
    "bk": "bank",
    "st": "saint",
    "ste": "sainte",
    "mt": "mount",
    "ctr": "center",
    "centre": "center",
    "mkt": "market",
    "sys": "systems",
    "system": "systems",
    "prod": "products",
    "product": "products",
    "equip": "equipment",
    "constr": "construction",
    "mach": "machinery",
    "machine": "machinery",
    "comm": "communications",
    "communication": "communications",
    "telecom": "telecommunications",
    "telecommunication": "telecommunications",
    "airlines": "air",
    "airline": "air",
    "airways": "air",
}

# Given-name spelling families (transliterations of one name) → one form.
_GIVEN_NAME_FAMILIES: tuple[tuple[str, ...], ...] = (
    (
        "muhammad",
        "mohammed",
        "mohammad",
        "mohamed",
        "mohamad",
        "muhammed",
        "mohammod",
        "muhamad",
        "mohamud",
        "mohd",
        "muhd",
        "mhd",
        "mohamet",
        "mehmet",
        "mehmed",
        "mahomed",
        "muhamed",
        "mouhamed",
        "mohammadi",
    ),
    ("ahmad", "ahmed", "ahmet", "ahmat", "achmed", "akhmed", "ahamed"),
    ("mahmud", "mahmoud", "mahmood", "mehmood", "mahmut"),
    (
        "yusuf",
        "youssef",
        "yousef",
        "yousif",
        "yusef",
        "yossef",
        "youssouf",
        "yousuf",
        "yusof",
        "yussuf",
        "jusuf",
        "joseph",
        "yosef",
        "iosif",
    ),
    (
        "husayn",
        "hussein",
        "husein",
        "hussain",
        "husain",
        "hossein",
        "hosein",
        "huseyin",
        "hussien",
        "houssein",
    ),
    ("hasan", "hassan", "hasen", "hassen", "hasaan"),
    ("usama", "osama", "oussama", "ousama", "usamah", "osamah"),
    ("umar", "omar", "omer", "oumar"),
    ("uthman", "othman", "osman", "usman", "outhman", "othmane", "osmane"),
    ("abd", "abdul", "abdel", "abdal", "abdoul", "abdol", "abdu", "abdi"),
    ("abdullah", "abdallah", "abdellah", "abdulla", "abdalla", "abdollah"),
    ("ibrahim", "ebrahim", "ibraheem", "brahim", "ibragim"),
    ("ismail", "ismael", "ismaeel", "ismayil", "esmail", "smail"),
    ("mustafa", "mostafa", "moustafa", "mustapha", "mostapha", "moustapha"),
    ("yahya", "yahia", "yehia", "yehya", "yahiya"),
    ("qasim", "qassem", "kassem", "kasim", "qassim", "kacem", "gasim"),
    ("khalid", "khaled", "halid", "khalad"),
    ("said", "saeed", "saied", "sayed", "saiid", "sa'id", "saiyed"),
    ("sayyid", "seyed", "seyyed", "sayyed", "syed", "sayid", "seyyid"),
    ("ali", "aly", "aliy"),
    ("jamal", "gamal", "djamal", "jamaal"),
    ("hamid", "hamed", "hameed"),
    ("rashid", "rasheed", "rachid", "rached", "rashed"),
    ("salim", "saleem", "selim", "salem"),
    ("karim", "kareem", "kerim"),
    ("nasir", "nasser", "naser", "nasr", "nassir", "nacer"),
    ("jafar", "jaafar", "jaffar", "djafar"),
    ("faisal", "faysal", "feisal", "faycal"),
    ("suleiman", "sulaiman", "sulayman", "soliman", "suleyman", "slimane", "solomon"),
    ("yaqub", "yacoub", "yakub", "yaqoob", "jacob", "yaakov", "yakov"),
    ("muammar", "moammar", "muamar", "moamar"),
    ("abu", "abou", "abo"),
    ("bin", "ben", "ibn", "bn"),
    ("zayd", "zaid", "zeid", "zayed"),
    ("walid", "waleed", "oualid"),
    ("tariq", "tarek", "tarik", "tareq"),
    ("fatima", "fatimah", "fatma", "fatemeh"),
    ("aisha", "aicha", "ayesha", "aysha", "aishah"),
    ("alexander", "aleksandr", "alexandr", "aleksander", "alexandre", "alejandro"),
    ("sergei", "sergey", "serguei", "sergej", "sergiy", "serhiy"),
    ("yuri", "yury", "yuriy", "iurii", "jurij", "juri"),
    ("dmitri", "dmitry", "dmitriy", "dmytro", "dimitri"),
    ("vladimir", "wladimir", "volodymyr"),
    ("mikhail", "michail", "mykhailo", "mikhael"),
    ("nikolai", "nikolay", "mykola", "nicolai"),
    ("andrei", "andrey", "andriy", "andrej"),
    ("evgeny", "yevgeny", "evgeniy", "yevgeniy", "evgenii", "yevhen"),
    ("alexei", "alexey", "aleksei", "aleksey", "oleksiy"),
)
GIVEN_NAMES: dict[str, str] = {
    variant: family[0] for family in _GIVEN_NAME_FAMILIES for variant in family
}

# Skeleton rewrite rules, applied in order to a lowercase ASCII token.
_SKELETON_RULES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), repl)
    for pattern, repl in (
        (r"(.)\1+", r"\1"),  # doubled letters
        (r"ph", "f"),
        (r"kh", "h"),
        (r"gh", "g"),
        (r"dh", "d"),
        (r"th", "t"),
        (r"sch", "sh"),
        (r"ck", "k"),
        (r"q", "k"),
        (r"ou", "u"),
        (r"oo", "u"),
        (r"ee", "i"),
        (r"y", "i"),
        (r"w", "v"),
        (r"(?<=[aeiou])h$", ""),  # Hamzah/Hamza, Fatimah/Fatima
        (r"(.)\1+", r"\1"),
    )
)

# Legal forms that rigour's database does not know, written out → its short form.
LEGAL_PHRASES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(rf"\b{phrase}\b"), short)
    for phrase, short in (
        ("societe anonyme", "sa"),
        ("societa per azioni", "spa"),
        ("societe a responsabilite limitee", "sarl"),
        ("private limited", "ltd"),
        ("pvt", ""),
        ("corporation", "corp"),
        ("incorporated", "inc"),
    )
)
_SINGLE_LETTER_RUN = re.compile(r"\b(?:[a-z] ){1,}[a-z]\b")

# Words that say what kind of business it is, not which one: they count little.
GENERIC_WORDS = frozenset(
    "company corporation international trading group holding industries services "
    "enterprise import export general investment commercial global development technology "
    "logistics shipping manufacturing products systems solutions management limited "
    "partners partnership association national foundation center trust agency office "
    "factory works store shop organization organisation bureau institute firm ltd inc "
    "llc plc jsc gmbh ag sa srl bv nv kg oy ab as spa sas sarl pte pvt ooo oao zao pao "
    "coltd cv sab lp llp sl sro kft zrt doo ad ao tov pt tbk bhd sdn jv joint stock closed "
    "open public private liability obshchestvo aktsionernoe otkrytoe zakrytoe "
    "ogranichennoi otvetstvennostyu publichnoe tovarishchestvo sociedad anonima societe "
    "anonyme responsabilidad limitada ltda corp".split()
)


# --------------------------------------------------------------------------- pipeline


@dataclass(frozen=True, slots=True)
class NormalizedName:
    """A name ready for matching: readable tokens and the skeletons compared."""

    original: str
    tokens: tuple[str, ...]
    skeletons: tuple[str, ...]

    @property
    def key(self) -> str:
        """Order-free comparison key (sorted skeletons joined by spaces)."""
        return " ".join(sorted(self.skeletons))


def _fix_homoglyphs(text: str) -> str:
    if not _NON_LATIN_LETTER_RE.search(text) or not _LATIN_RE.search(text):
        return text
    words = text.split(" ")
    out = []
    for word in words:
        if _LATIN_RE.search(word) and _NON_LATIN_LETTER_RE.search(word):
            word = word.translate(_CONFUSABLES)
        out.append(word)
    return " ".join(out)


def to_ascii(text: str) -> str:
    """Transliterate to ASCII: a fast path for Latin text, ICU for other scripts."""
    text = text.translate(_INVISIBLE)
    if text.isascii():
        return text
    text = _fix_homoglyphs(text)
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    stripped = stripped.replace("ß", "ss").replace("ø", "o").replace("Ø", "O")
    stripped = stripped.replace("æ", "ae").replace("Æ", "AE").replace("ł", "l")
    stripped = stripped.replace("Ł", "L").replace("đ", "d").replace("Đ", "D")
    stripped = stripped.replace("ı", "i").replace("œ", "oe").replace("Œ", "OE")
    if stripped.isascii():
        return stripped
    return str(ascii_text(stripped))


# Words worth recognising through a typo: legal forms and business words written out and
# their usual abbreviations. A word of five or more letters whose spelling key
# (``_spelling_key``: doubled letters, ee/i, ou/u, ph/f, ...) is at most one edit (OSA: a
# transposition is one edit) from one of theirs is read as that word, so the later steps
# canonicalise it as usual ("LIMMITED LIABILITY COMPNAY" → llc). Otherwise a misspelt
# legal form is an unknown, hence rare and heavy, word that the listed name lacks. Given
# names were tried too and raised the false alerts more than the recall
# (bench/screening.py, seeds 5-7).
TYPO_MIN_LEN = 5
_TYPO_TARGETS: tuple[str, ...] = tuple(
    sorted(
        w
        for w in {
            *GENERIC_WORDS,
            *BUSINESS_WORDS,
            *BUSINESS_WORDS.values(),
            "limited", "liability", "company", "incorporated", "corporation", "holdings",
            "aktsionernoye", "publichnoye", "otkrytoye", "zakrytoye", "compania", "companhia",
            "gesellschaft", "haftung", "beschrankter", "responsabilite", "limitee",
        }
        if len(w) >= TYPO_MIN_LEN and w.isalpha()
    )
)  # fmt: skip
_TYPO_TARGET_SET = frozenset(_TYPO_TARGETS)


def _spelling_key(token: str) -> str:
    for pattern, repl in _SKELETON_RULES[1:]:
        token = pattern.sub(repl, token)
    return _SKELETON_RULES[0][0].sub(_SKELETON_RULES[0][1], token)


# The same targets by their transliteration-insensitive spelling ("leemited" = limited).
_TYPO_BY_SPELLING: dict[str, str] = {}
for _word in _TYPO_TARGETS:
    _TYPO_BY_SPELLING.setdefault(_spelling_key(_word), _word)
_TYPO_KEYS = tuple(_TYPO_BY_SPELLING)


@lru_cache(maxsize=65536)
def fix_known_word(token: str) -> str:
    """``token``, or the known word (see ``_TYPO_TARGETS``) it is one edit away from."""
    if len(token) < TYPO_MIN_LEN or token in _TYPO_TARGET_SET or not token.isalpha():
        return token
    key = _spelling_key(token)
    same = _TYPO_BY_SPELLING.get(key)
    if same is not None:
        return same
    found = process.extractOne(key, _TYPO_KEYS, scorer=OSA.distance, score_cutoff=1)
    return token if found is None else _TYPO_BY_SPELLING[str(found[0])]


@lru_cache(maxsize=65536)
def skeleton(token: str) -> str:
    """The transliteration-insensitive form of one lowercase ASCII token."""
    token = GIVEN_NAMES.get(token, token)
    if len(token) <= 2:
        return token
    out = token
    for pattern, repl in _SKELETON_RULES:
        out = pattern.sub(repl, out)
    return out or token


@lru_cache(maxsize=65536)
def is_legal_form(token: str) -> bool:
    """True for a token that is only a legal form (llc, gmbh, jsc, ...)."""
    return token in GENERIC_WORDS or not remove_org_types(token).strip()


_APOSTROPHES = re.compile(r"['`\u2019\u2018]")
_AL_PREFIX = re.compile(r"^(?:al|el|ul|ad|ar|as|ash|at|az|an)-(?=\w)")


def normalize(name: str) -> NormalizedName:
    """Normalise one name (listed or screened) into comparable tokens."""
    text = to_ascii(name)
    text = _APOSTROPHES.sub("", text).replace("&", " and ").replace("+", " and ")
    # Arabic article variants: al-/el-/ul- joined to the word become a separate "al".
    text = " ".join(
        _AL_PREFIX.sub("al ", word) for word in text.lower().replace(",", " , ").split()
    )
    text = normalize_name(text) or ""
    if not text:
        return NormalizedName(name, (), ())
    text = " ".join(fix_known_word(word) for word in text.split())
    # "S. A. DE C. V." → "sa de cv", "A T E" → "ate": spaced initials are one word.
    text = _SINGLE_LETTER_RUN.sub(lambda m: m[0].replace(" ", ""), text)
    for pattern, short in LEGAL_PHRASES:
        text = pattern.sub(short, text)
    text = replace_org_types_compare(text, generic=True)
    tokens: list[str] = []
    for raw in text.split():
        token = BUSINESS_WORDS.get(raw, raw)
        if token in ("el", "ul", "il"):
            token = "al"
        if token in STOPWORDS:
            continue
        tokens.append(token)
    if not tokens:  # a name made only of stop words stays matchable
        tokens = text.split()
    return NormalizedName(name, tuple(tokens), tuple(skeleton(t) for t in tokens))
