"""`faker.*` values: vocabulary from the Faker library, drawn with the response's own random source.

Why not call Faker per request: its generator methods cost tens of microseconds each here (`name()` about
70-90 µs, `company()` 95-130 µs, `city()` 40-47 µs; bench/micro_templating.py prints them), and the mock
port's budget is about 5% of throughput per microsecond. So Faker's word tables (en_US names, lorem words,
jobs, currencies, colours, countries, MIME types...) are copied into tuples once, the first time a template
that uses `faker.*` is built, and each value is one or a few `rng.intn` picks (well under 1 µs unseeded).

Shapes follow the Go tool, which users' assertions depend on (`+1-NXX-NXX-XXXX` phones, 16-digit Luhn card
numbers, `#RRGGBB`, one-line addresses...), and each type draws as many random numbers as the Go tool does
for it, in the same order. Under a seed the generator is Go's own (rand.GoPCG), so format-only values
(uuid, boolean, ipv4/ipv6/macAddress, phone, creditCard/Exp, cvv, price, hexColor, ssn, passport, latitude,
longitude, zipCode) render exactly as in the Go tool, and later expressions in the same response stay in
step with it; words and names come from Faker's tables instead of the Go tool's short lists.

Importing Faker takes about 0.1 s, so nothing here imports it until `load()` runs: the compiler's template
checks never pay for it.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from mockd.templates.rand import GoPCG, Rng, uuid4

# Picked for mock data: a product is "<adjective> <material> <noun>"; Faker has no commerce provider.
_PRODUCT_ADJECTIVES = (
    "Classic", "Compact", "Deluxe", "Eco", "Foldable", "Heavy-Duty", "Portable", "Smart", "Slim",
    "Stackable", "Waterproof", "Wireless", "Adjustable", "Everyday", "Pro",
)  # fmt: skip
_PRODUCT_MATERIALS = (
    "Oak", "Walnut", "Aluminium", "Carbon", "Canvas", "Linen", "Wool", "Slate", "Cork", "Denim",
    "Brass", "Nylon", "Concrete", "Felt", "Porcelain",
)  # fmt: skip
_PRODUCT_NOUNS = (
    "Desk", "Kettle", "Jacket", "Tent", "Blender", "Shelf", "Helmet", "Sofa", "Stool", "Toaster",
    "Umbrella", "Cushion", "Thermos", "Clock", "Satchel",
)  # fmt: skip
# ISO 13616 IBAN lengths for a few SEPA countries (country code, total length).
_IBAN_COUNTRIES = (("GB", 22), ("DE", 22), ("FR", 27), ("NL", 18), ("BE", 16), ("AT", 20), ("IE", 22))
_ALNUM_UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
# Pools of composed values are built with a fixed seed so a seeded response renders the same text in every
# process and after every restart (for a given Faker version).
_POOL_SEED = 0x6D6F636B64
_POOL_SIZE = 256


@dataclass(frozen=True, slots=True)
class FakerData:
    """Faker's en_US tables as plain tuples, plus pools of values Faker composes from several tables."""

    first_names: tuple[str, ...]
    last_names: tuple[str, ...]
    words: tuple[str, ...]
    sentences: tuple[str, ...]
    companies: tuple[str, ...]
    cities: tuple[str, ...]
    city_states: tuple[tuple[str, str], ...]  # (city, state abbreviation) for one-line addresses
    street_suffixes: tuple[str, ...]
    states: tuple[str, ...]
    countries: tuple[str, ...]
    jobs: tuple[str, ...]
    currency_codes: tuple[str, ...]
    currency_names: tuple[str, ...]
    colors: tuple[str, ...]
    mime_types: tuple[str, ...]
    file_extensions: tuple[str, ...]
    email_domains: tuple[str, ...]
    url_domains: tuple[str, ...]
    url_paths: tuple[str, ...]
    user_agents: tuple[str, ...]


_DATA: FakerData | None = None


def load() -> FakerData:
    """Build the tables on first use (route build time for templates that use `faker.*`)."""
    global _DATA
    if _DATA is None:
        _DATA = _build()
    return _DATA


def _build() -> FakerData:
    from faker.generator import Generator
    from faker.providers import color, currency, date_time, file, internet, job, user_agent
    from faker.providers.address import en_US as address
    from faker.providers.company import en_US as company
    from faker.providers.lorem import en_US as lorem
    from faker.providers.person import en_US as person

    rng = GoPCG(_POOL_SEED)

    def pick(seq: tuple[str, ...] | list[str]) -> str:
        return seq[rng.intn(len(seq))]

    first = tuple(person.Provider.first_names)
    last = tuple(person.Provider.last_names)
    words = tuple(dict.fromkeys(w.lower() for w in lorem.Provider.word_list))  # a few are capitalised

    def sentence() -> str:
        text = " ".join(pick(words) for _ in range(4 + rng.intn(7)))
        return text[0].upper() + text[1:] + "."

    suffixes = tuple(company.Provider.company_suffixes)
    company_forms: tuple[Callable[[], str], ...] = (
        lambda: f"{pick(last)} {pick(suffixes)}",
        lambda: f"{pick(last)}-{pick(last)}",
        lambda: f"{pick(last)}, {pick(last)} and {pick(last)}",
    )
    prefixes, city_suffixes = address.Provider.city_prefixes, address.Provider.city_suffixes
    city_forms: tuple[Callable[[], str], ...] = (
        lambda: f"{pick(prefixes)} {pick(first)}{pick(city_suffixes)}",
        lambda: f"{pick(prefixes)} {pick(first)}",
        lambda: f"{pick(first)}{pick(city_suffixes)}",
        lambda: f"{pick(last)}{pick(city_suffixes)}",
    )
    cities = tuple(city_forms[rng.intn(len(city_forms))]() for _ in range(_POOL_SIZE))
    states_abbr = tuple(address.Provider.states_abbr)

    agents = Generator()
    agents.add_provider(user_agent.Provider)
    agents.add_provider(date_time.Provider)
    agents.seed_instance(_POOL_SEED)

    tlds = tuple(dict.fromkeys(internet.Provider.tlds))
    return FakerData(
        first_names=first,
        last_names=last,
        words=words,
        sentences=tuple(sentence() for _ in range(_POOL_SIZE)),
        companies=tuple(company_forms[rng.intn(len(company_forms))]() for _ in range(_POOL_SIZE)),
        cities=cities,
        city_states=tuple((c, pick(states_abbr)) for c in cities),
        street_suffixes=tuple(address.Provider.street_suffixes),
        states=tuple(address.Provider.states),
        countries=tuple(address.Provider.countries),
        jobs=tuple(job.Provider.jobs),
        currency_codes=tuple(code for code, _ in currency.Provider.currencies),
        currency_names=tuple(name for _, name in currency.Provider.currencies),
        colors=tuple(color.Provider.all_colors),
        mime_types=tuple(m for group in file.Provider.mime_types.values() for m in group),
        file_extensions=tuple(e for group in file.Provider.file_extensions.values() for e in group),
        email_domains=tuple(internet.Provider.safe_domain_names),
        url_domains=tuple(f"{name.lower()}.{tld}" for name in last[:100] for tld in tlds),
        url_paths=tuple(internet.Provider.uri_paths),
        user_agents=tuple(agents.user_agent() for _ in range(64)),  # type: ignore[attr-defined]
    )


# --- one function per faker type: (data, rng) -> str ---------------------------------------------------


def _name(d: FakerData, rng: Rng) -> str:
    i = rng.intn(len(d.first_names) * len(d.last_names))  # one draw, as the Go tool's single pick
    return f"{d.first_names[i // len(d.last_names)]} {d.last_names[i % len(d.last_names)]}"


def _email(d: FakerData, rng: Rng) -> str:
    user = d.first_names[rng.intn(len(d.first_names))].lower()
    number = rng.intn(1000)
    return f"{user}{number}@{d.email_domains[rng.intn(len(d.email_domains))]}"


def _address(d: FakerData, rng: Rng) -> str:
    number = rng.intn(9999) + 1
    city, state = d.city_states[rng.intn(len(d.city_states))]
    street = _street(d, rng)
    return f"{number} {street}, {city}, {state} {rng.intn(99999):05d}"


def _street(d: FakerData, rng: Rng) -> str:
    i = rng.intn(len(d.last_names) * len(d.street_suffixes))
    return f"{d.last_names[i // len(d.street_suffixes)]} {d.street_suffixes[i % len(d.street_suffixes)]}"


def _phone(_d: FakerData, rng: Rng) -> str:
    return f"+1-{rng.intn(900) + 100:03d}-{rng.intn(900) + 100:03d}-{rng.intn(10000):04d}"


def _username(d: FakerData, rng: Rng) -> str:
    first = d.first_names[rng.intn(len(d.first_names))].lower()
    last = d.last_names[rng.intn(len(d.last_names))].lower()
    return f"{first}_{last}{rng.intn(1000)}"


def _paragraph(d: FakerData, rng: Rng) -> str:
    count = rng.intn(2) + 2
    return " ".join(d.sentences[rng.intn(len(d.sentences))] for _ in range(count))


def words(d: FakerData, rng: Rng, n: int) -> str:
    """`faker.words(n)`: n words; the Go tool falls back to 3 for a missing or non-positive n."""
    if n <= 0:
        n = 3
    return " ".join(d.words[rng.intn(len(d.words))] for _ in range(n))


def _words(d: FakerData, rng: Rng) -> str:
    return words(d, rng, rng.intn(3) + 3)


def _slug(d: FakerData, rng: Rng) -> str:
    return "-".join(d.words[rng.intn(len(d.words))] for _ in range(3))


def _ipv4(_d: FakerData, rng: Rng) -> str:
    return f"{rng.intn(256)}.{rng.intn(256)}.{rng.intn(256)}.{rng.intn(256)}"


def _ipv6(_d: FakerData, rng: Rng) -> str:
    return ":".join(f"{rng.intn(65536):04x}" for _ in range(8))


def _mac(_d: FakerData, rng: Rng) -> str:
    return ":".join(f"{rng.intn(256):02X}" for _ in range(6))


def _url(d: FakerData, rng: Rng) -> str:
    domain = d.url_domains[rng.intn(len(d.url_domains))]
    return f"https://{domain}/{d.url_paths[rng.intn(len(d.url_paths))]}"


def _credit_card(_d: FakerData, rng: Rng) -> str:
    """16 digits starting with 4 (Visa-like) and a valid Luhn check digit."""
    digits = [4] + [rng.intn(10) for _ in range(14)]
    total = 0
    for i, d in enumerate(digits):  # 15 payload digits: every digit at an even index is doubled
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    digits.append((10 - total % 10) % 10)
    return "".join(map(str, digits))


def _credit_card_exp(_d: FakerData, rng: Rng) -> str:
    month = rng.intn(12) + 1
    year = time.localtime().tm_year + rng.intn(5) + 1
    return f"{month:02d}/{year % 100:02d}"


def _iban(_d: FakerData, rng: Rng) -> str:
    """A structurally valid IBAN (ISO 13616 length and mod-97 check digits) for a few SEPA countries."""
    country, length = _IBAN_COUNTRIES[rng.intn(len(_IBAN_COUNTRIES))]
    bank = "".join(_ALNUM_UPPER[rng.intn(26)] for _ in range(4))
    bban = bank + "".join(str(rng.intn(10)) for _ in range(length - 8))
    numeric = "".join(str(int(ch, 36)) for ch in bban + country) + "00"
    return f"{country}{98 - int(numeric) % 97:02d}{bban}"


def _price(_d: FakerData, rng: Rng) -> str:
    dollars = rng.intn(999) + 1
    return f"{dollars}.{rng.intn(100):02d}"


def _product(_d: FakerData, rng: Rng) -> str:
    adjective = _PRODUCT_ADJECTIVES[rng.intn(len(_PRODUCT_ADJECTIVES))]
    material = _PRODUCT_MATERIALS[rng.intn(len(_PRODUCT_MATERIALS))]
    return f"{adjective} {material} {_PRODUCT_NOUNS[rng.intn(len(_PRODUCT_NOUNS))]}"


def _hex_color(_d: FakerData, rng: Rng) -> str:
    return f"#{rng.intn(256):02X}{rng.intn(256):02X}{rng.intn(256):02X}"


def _ssn(_d: FakerData, rng: Rng) -> str:
    area = rng.intn(899) + 100
    group = rng.intn(99) + 1
    return f"{area:03d}-{group:02d}-{rng.intn(9999) + 1:04d}"


def _passport(_d: FakerData, rng: Rng) -> str:
    letters = _ALNUM_UPPER[rng.intn(26)] + _ALNUM_UPPER[rng.intn(26)]
    return letters + "".join(str(rng.intn(10)) for _ in range(7))


def _job(d: FakerData, rng: Rng) -> str:
    title = d.jobs[rng.intn(len(d.jobs))]
    rng.intn(2)  # the Go tool composes a title from three picks: draw as often to stay in step
    rng.intn(2)
    return title


def _pick(attr: str) -> Callable[[FakerData, Rng], str]:
    def pick(d: FakerData, rng: Rng) -> str:
        seq = getattr(d, attr)
        return seq[rng.intn(len(seq))]

    pick.__name__ = f"_pick_{attr}"
    return pick


FAKER_TYPES: dict[str, Callable[[FakerData, Rng], str]] = {
    # keys are the lower-cased type names; the Go tool matches `faker.<type>` case-insensitively
    "name": _name,
    "firstname": _pick("first_names"),
    "lastname": _pick("last_names"),
    "email": _email,
    "phone": _phone,
    "company": _pick("companies"),
    "address": _address,
    "word": _pick("words"),
    "sentence": _pick("sentences"),
    "words": _words,
    "paragraph": _paragraph,
    "username": _username,
    "boolean": lambda _d, rng: "true" if rng.intn(2) else "false",
    "uuid": lambda _d, rng: uuid4(rng),
    "ipv4": _ipv4,
    "ipv6": _ipv6,
    "macaddress": _mac,
    "useragent": _pick("user_agents"),
    "url": _url,
    "creditcard": _credit_card,
    "creditcardexp": _credit_card_exp,
    "cvv": lambda _d, rng: f"{rng.intn(1000):03d}",
    "currencycode": _pick("currency_codes"),
    "currency": _pick("currency_names"),
    "iban": _iban,
    "price": _price,
    "productname": _product,
    "color": _pick("colors"),
    "hexcolor": _hex_color,
    "ssn": _ssn,
    "passport": _passport,
    "jobtitle": _job,
    "latitude": lambda _d, rng: f"{rng.float64() * 180.0 - 90.0:.6f}",
    "longitude": lambda _d, rng: f"{rng.float64() * 360.0 - 180.0:.6f}",
    "city": _pick("cities"),
    "state": _pick("states"),
    "zipcode": lambda _d, rng: f"{rng.intn(100000):05d}",
    "country": _pick("countries"),
    "slug": _slug,
    "mimetype": _pick("mime_types"),
    "fileextension": _pick("file_extensions"),
}

# The spellings the reference documents, for `check_template` suggestions.
DOCUMENTED_TYPES = (
    "name", "firstName", "lastName", "email", "phone", "company", "address", "word", "sentence", "words",
    "paragraph", "username", "boolean", "uuid", "ipv4", "ipv6", "macAddress", "userAgent", "url",
    "creditCard", "creditCardExp", "cvv", "currencyCode", "currency", "iban", "price", "productName", "color",
    "hexColor", "ssn", "passport", "jobTitle", "latitude", "longitude", "city", "state", "zipCode", "country",
    "slug", "mimeType", "fileExtension",
)  # fmt: skip
