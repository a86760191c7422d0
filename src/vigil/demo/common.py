"""Small helpers shared by the generators: seeded choices, names, slugs and stable hex strings."""

from __future__ import annotations

import hashlib
import random
import re
from datetime import datetime, timedelta
from pathlib import Path

FIRST_NAMES = (
    "James",
    "Mary",
    "John",
    "Patricia",
    "Robert",
    "Jennifer",
    "Michael",
    "Linda",
    "William",
    "Elizabeth",
    "David",
    "Barbara",
    "Richard",
    "Susan",
    "Joseph",
    "Jessica",
    "Thomas",
    "Sarah",
    "Charles",
    "Karen",
    "Christopher",
    "Lisa",
    "Daniel",
    "Nancy",
    "Matthew",
    "Betty",
    "Anthony",
    "Sandra",
    "Mark",
    "Margaret",
    "Donald",
    "Ashley",
    "Steven",
    "Kimberly",
    "Andrew",
    "Emily",
    "Paul",
    "Donna",
    "Joshua",
    "Michelle",
    "Kenneth",
    "Carol",
    "Kevin",
    "Amanda",
    "Brian",
    "Melissa",
    "George",
    "Deborah",
    "Timothy",
    "Stephanie",
    "Ronald",
    "Rebecca",
    "Jason",
    "Laura",
    "Edward",
    "Helen",
    "Jeffrey",
    "Sharon",
    "Ryan",
    "Cynthia",
    "Jacob",
    "Kathleen",
    "Gary",
    "Amy",
    "Nicholas",
    "Angela",
    "Eric",
    "Shirley",
    "Jonathan",
    "Brenda",
    "Luis",
    "Rosa",
    "Wei",
    "Mei",
    "Darnell",
    "Keisha",
    "Raj",
    "Anita",
    "Tomasz",
    "Olga",
    "Kwame",
    "Ama",
    "Diego",
    "Lucia",
    "Hiroshi",
    "Yuki",
    "Omar",
    "Fatima",
    "Sean",
    "Siobhan",
)
LAST_NAMES = (
    "Smith",
    "Johnson",
    "Williams",
    "Brown",
    "Jones",
    "Garcia",
    "Miller",
    "Davis",
    "Rodriguez",
    "Martinez",
    "Hernandez",
    "Lopez",
    "Gonzalez",
    "Wilson",
    "Anderson",
    "Thomas",
    "Taylor",
    "Moore",
    "Jackson",
    "Martin",
    "Lee",
    "Perez",
    "Thompson",
    "White",
    "Harris",
    "Sanchez",
    "Clark",
    "Ramirez",
    "Lewis",
    "Robinson",
    "Walker",
    "Young",
    "Allen",
    "King",
    "Wright",
    "Scott",
    "Torres",
    "Nguyen",
    "Hill",
    "Flores",
    "Green",
    "Adams",
    "Nelson",
    "Baker",
    "Hall",
    "Rivera",
    "Campbell",
    "Mitchell",
    "Carter",
    "Roberts",
    "Kowalski",
    "Novak",
    "Schmidt",
    "Mueller",
    "Yoder",
    "Stoltzfus",
    "Zimmerman",
    "Kline",
    "Hoffman",
    "Brennan",
    "Murphy",
    "Sullivan",
    "O'Neill",
    "Patel",
    "Shah",
    "Kim",
    "Park",
    "Chen",
    "Wang",
    "Okafor",
    "Mensah",
    "Kovacs",
    "Petrov",
    "Ivanova",
    "Dubois",
    "Rossi",
    "Haddad",
    "Cohen",
    "Friedman",
    "Byrne",
    "Walsh",
    "Pruitt",
    "Gallagher",
    "Reinhardt",
    "Eberly",
    "Musser",
    "Weaver",
)


def det_hex(*parts: object, n: int = 16) -> str:
    """``n`` hex digits derived from the parts (stable across runs and platforms)."""
    out = b""
    counter = 0
    while len(out) * 2 < n:
        out += hashlib.sha256(("|".join(map(str, parts)) + f"#{counter}").encode()).digest()
        counter += 1
    return out.hex()[:n]


def det_b64(*parts: object, n: int = 40) -> str:
    import base64

    raw = bytes.fromhex(det_hex(*parts, n=((n * 3) // 4 + 3) * 2))
    return base64.b64encode(raw).decode("ascii")[:n]


def slug(text: str, words: int = 8) -> str:
    parts = re.findall(r"[a-z0-9]+", text.lower())
    return "-".join(parts[:words])


def scaled(n: int, scale: float, minimum: int = 1) -> int:
    return max(minimum, round(n * scale))


def pick_time(rng: random.Random, day: datetime, hours: tuple[int, int]) -> datetime:
    """A time on ``day`` (local, aware) between the given hours, to the second."""
    start, end = hours
    minute = rng.randrange(start * 60, max(start * 60 + 1, end * 60))
    return day.replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(
        minutes=minute, seconds=rng.randrange(60)
    )


def weighted(rng: random.Random, items: list[tuple[str, float]]) -> str:
    total = sum(w for _, w in items)
    x = rng.random() * total
    for item, w in items:
        x -= w
        if x <= 0:
            return item
    return items[-1][0]


def rel(path: Path, root: Path) -> str:
    return path.relative_to(root).as_posix()
