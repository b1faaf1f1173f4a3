"""Demo data (DESIGN §9 `seed_demo`): two centres over two years, and the demo logins."""

from .accounts import (
    ACCOUNT_HEADERS,
    DEMO_ACCOUNTS,
    DEMO_PASSWORD,
    demo_accounts_table,
    format_table,
)
from .scales import SCALES
from .seed import SeedResult, seed_demo

__all__ = [
    "ACCOUNT_HEADERS",
    "DEMO_ACCOUNTS",
    "DEMO_PASSWORD",
    "SCALES",
    "SeedResult",
    "demo_accounts_table",
    "format_table",
    "seed_demo",
]
