"""The tables a world is drawn from: the sizes and locales it can be built with, and the
catalogues entities are named and configured from (queue names and their departments, titles,
wrap-up codes, IVR flows, languages, timeouts and service levels with their weights)."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar

from .entities import WrapupPrompt

__all__ = [
    "AGENT_TITLES",
    "ALERTING_TIMEOUTS_MS",
    "CORE_QUEUES",
    "CREATED_FROM_MS",
    "CREATED_SPAN_MS",
    "DEPARTMENTS",
    "DEPARTMENT_BLURBS",
    "DIVISION_NAMES",
    "GROUP_NAMES",
    "IVR_FLOWS",
    "IVR_FLOW_NAMES",
    "LANGUAGES",
    "LOCALES",
    "ORG_WORDS",
    "QUEUE_DEPARTMENTS",
    "QUEUE_NAMES",
    "SERVICE_LEVELS",
    "SIZES",
    "SKILL_NAMES",
    "SUPERVISOR_DEPARTMENT",
    "SUPERVISOR_TITLES",
    "SYSTEM_WRAPUP_DESCRIPTION",
    "SYSTEM_WRAPUP_TIMEOUT",
    "TEAM_NAMES",
    "WRAPUP_CODES",
    "WRAPUP_PROMPTS",
    "WRAPUP_TIMEOUTS_MS",
    "WorldSize",
    "created_ms",
    "weighted",
]

LOCALES = ("en_US", "en_GB", "de_DE", "fr_FR", "ja_JP")
"""Faker locales a world can be built for."""


@dataclass(frozen=True, slots=True)
class WorldSize:
    """How many of each entity a world has; ``wrapup_codes`` counts the system code too."""

    queues: int
    agents: int
    supervisors: int
    wrapup_codes: int
    contacts: int
    ivr_flows: int
    organizations: int
    callers: int = 3000
    """Unknown caller numbers in ``World.caller_numbers``."""
    external_numbers: int = 100


SIZES: dict[str, WorldSize] = {
    "small": WorldSize(
        queues=4,
        agents=20,
        supervisors=2,
        wrapup_codes=10,
        contacts=200,
        ivr_flows=2,
        organizations=20,
        callers=500,
        external_numbers=20,
    ),
    "medium": WorldSize(
        queues=8,
        agents=60,
        supervisors=6,
        wrapup_codes=20,
        contacts=2000,
        ivr_flows=4,
        organizations=100,
        callers=3000,
        external_numbers=100,
    ),
    "large": WorldSize(
        queues=40,
        agents=600,
        supervisors=40,
        wrapup_codes=60,
        contacts=20000,
        ivr_flows=12,
        organizations=1000,
        callers=20000,
        external_numbers=500,
    ),
}


CORE_QUEUES = ("Customer Service", "Billing", "Tech Support", "Sales")
"""Every world has these queues first, in this order."""

QUEUE_DEPARTMENTS: dict[str, str] = {
    **dict.fromkeys(
        (
            "Customer Service",
            "General Inquiries",
            "Account Management",
            "Order Status",
            "Returns",
            "Refunds",
            "Shipping & Delivery",
            "Claims",
            "Complaints",
            "Loyalty Program",
            "Warranty",
            "Appointments",
            "Card Services",
            "Fraud & Security",
            "Customer Care",
            "Member Services",
            "Store Support",
            "Escalations",
            "VIP Support",
            "Feedback",
            "Accessibility Support",
            "Moving Services",
        ),
        "Customer Service",
    ),
    **dict.fromkeys(
        ("Billing", "Payments", "Collections", "Billing Disputes", "Autopay", "Invoices"),
        "Billing",
    ),
    **dict.fromkeys(
        (
            "Tech Support",
            "Tech Support Tier 2",
            "Internet Support",
            "Mobile Support",
            "TV Support",
            "Device Setup",
            "Outage Reporting",
            "Helpdesk",
            "Installations",
            "Password Reset",
            "Network Operations",
            "Field Service",
        ),
        "Technical Support",
    ),
    **dict.fromkeys(
        (
            "Sales",
            "New Customers",
            "Upgrades",
            "Renewals",
            "Retention",
            "Business Sales",
            "Partner Sales",
            "Outbound Sales",
            "Quotes",
            "Cancellations",
        ),
        "Sales",
    ),
}
"""Realistic contact-center queue names and the department their agents sit in."""

QUEUE_NAMES = tuple(QUEUE_DEPARTMENTS)

DEPARTMENT_BLURBS = {
    "Customer Service": "Orders, accounts and general questions",
    "Billing": "Invoices, payments, refunds and payment plans",
    "Technical Support": "Troubleshooting, setup and outages",
    "Sales": "New business, upgrades, renewals and retention",
}

AGENT_TITLES: dict[str, tuple[str, ...]] = {
    "Customer Service": (
        "Customer Service Representative",
        "Customer Service Advisor",
        "Contact Center Agent",
        "Senior Customer Service Representative",
    ),
    "Billing": ("Billing Specialist", "Billing Representative", "Accounts Receivable Specialist"),
    "Technical Support": (
        "Technical Support Specialist",
        "Technical Support Representative",
        "Support Engineer",
        "Senior Support Engineer",
    ),
    "Sales": (
        "Sales Representative",
        "Inside Sales Representative",
        "Account Executive",
        "Retention Specialist",
    ),
}
DEPARTMENTS = tuple(AGENT_TITLES)

SUPERVISOR_DEPARTMENT = "Contact Center Operations"
SUPERVISOR_TITLES = (
    "Contact Center Supervisor",
    "Team Leader",
    "Customer Service Supervisor",
    "Contact Center Manager",
)

DIVISION_NAMES = ("Customer Service", "Sales")
"""Divisions besides Home; Sales queues live in Sales, all other queues in Customer Service."""

SKILL_NAMES = (
    "Tier 2",
    "VIP",
    "Complaints Handling",
    "Product Expert",
    "Retention",
    "Fraud Prevention",
    "Outbound Calling",
    "Email Handling",
    "Chat Handling",
    "Escalations",
    "Returns",
    "Payments",
    "Networking",
    "Mobile Devices",
    "Business Accounts",
    "Collections",
    "Claims",
    "Onboarding",
    "Accessibility",
    "Social Media",
)
"""Skills beyond the one-per-department skill (named after the department)."""

TEAM_NAMES = (
    "Alpha", "Bravo", "Charlie", "Delta", "Echo", "Foxtrot", "Golf", "Hotel", "India", "Juliett",
    "Kilo", "Lima", "Mike", "November", "Oscar", "Papa", "Quebec", "Romeo", "Sierra", "Tango",
    "Uniform", "Victor", "Whiskey", "X-ray", "Yankee", "Zulu",
)  # fmt: skip

GROUP_NAMES = (
    "All Agents",
    "Supervisors",
    "Contact Center",
    "Billing Team",
    "Tech Support Team",
    "Sales Team",
    "Early Shift",
    "Late Shift",
    "Weekend Shift",
    "New Hires",
    "Quality Assurance",
    "Workforce Management",
    "Escalation Desk",
    "Trainers",
    "Remote Agents",
)

IVR_FLOWS: tuple[tuple[str, str], ...] = (
    ("Main Menu", "*"),
    ("Billing Self-Service", "Billing"),
    ("Tech Support Triage", "Technical Support"),
    ("Sales Inbound", "Sales"),
    ("After Hours", ""),
    ("Customer Care Inbound", "Customer Service"),
    ("Payment IVR", "Billing"),
    ("Order Status IVR", "Customer Service"),
    ("Holiday Closure", ""),
    ("Callback Offer", ""),
    ("Outage Message", "Technical Support"),
    ("VIP Line", ""),
    ("Emergency Routing", ""),
    ("Survey Transfer", ""),
    ("Partner Line", "Sales"),
)
"""IVR flows in build order with the department they serve: ``*`` every queue (so each queue is
reachable), ``""`` a couple of random queues."""
IVR_FLOW_NAMES = tuple(name for name, _ in IVR_FLOWS)

WRAPUP_CODES: tuple[tuple[str, str], ...] = (
    ("Resolved", "Issue resolved during the contact"),
    ("Follow-up required", "Agent or back office must contact the customer again"),
    ("Escalated to Tier 2", ""),
    ("Callback scheduled", "Customer asked to be called back"),
    ("Transferred", ""),
    ("Information provided", ""),
    ("Sale completed", "Customer placed an order"),
    ("Not interested", ""),
    ("Wrong number", ""),
    ("Customer hung up", "Customer disconnected before the issue was handled"),
    ("Refund issued", ""),
    ("Payment taken", ""),
    ("Billing dispute", "Customer disputes a charge"),
    ("Password reset", ""),
    ("Order status inquiry", ""),
    ("Complaint logged", "Complaint recorded for the complaints team"),
    ("Cancellation request", ""),
    ("Cancellation saved", "Customer kept the service after a retention offer"),
    ("Technician dispatched", ""),
    ("Voicemail left", ""),
    ("Resolved - First Contact", ""),
    ("Quote provided", ""),
    ("Payment arrangement", "Instalment plan agreed"),
    ("Address updated", ""),
    ("Account locked", ""),
    ("Order placed", ""),
    ("Return authorized", ""),
    ("Replacement sent", ""),
    ("Outage reported", ""),
    ("Complaint resolved", ""),
    ("Product inquiry", ""),
    ("Warranty claim", ""),
    ("Fraud reported", "Suspected fraud passed to the security team"),
    ("Card blocked", ""),
    ("Duplicate contact", ""),
    ("Spam", ""),
    ("No answer", ""),
    ("Test contact", "Internal test, exclude from reporting"),
    ("Survey completed", ""),
    ("Upsell accepted", ""),
    ("Upsell declined", ""),
    ("Renewal completed", ""),
    ("Appointment booked", ""),
    ("Appointment cancelled", ""),
    ("Documents requested", ""),
    ("Claim opened", ""),
    ("Claim status update", ""),
    ("Language barrier", ""),
    ("Internal call", ""),
    ("Do not call", "Customer asked not to be contacted again"),
    ("Promise to pay", ""),
    ("Email sent", ""),
    ("Case created", ""),
    ("Case updated", ""),
    ("Feedback received", ""),
    ("Unresolved - technical issue", ""),
    ("Shipping delay", ""),
    ("Damaged item", ""),
    ("Misrouted", "Contact reached the wrong queue"),
    ("Other", ""),
)
"""Wrap-up code names (unique) with an optional description; the first ones are the common ones."""

SYSTEM_WRAPUP_TIMEOUT = "ININ-WRAP-UP-TIMEOUT"
"""The code Genesys assigns when ACW times out: its id and name are both this string."""

SYSTEM_WRAPUP_DESCRIPTION = "Assigned by the system when after-call work times out"

ALERTING_TIMEOUTS_MS = ((8000, 0.7), (10000, 0.1), (15000, 0.12), (20000, 0.08))
WRAPUP_TIMEOUTS_MS = ((60000, 0.3), (120000, 0.5), (180000, 0.2))
WRAPUP_PROMPTS: tuple[tuple[WrapupPrompt, float], ...] = (
    ("mandatory", 0.35),
    ("optional", 0.25),
    ("timeout", 0.3),
    ("agentRequested", 0.05),
    ("forcedTimeout", 0.05),
)
SERVICE_LEVELS = (((0.8, 20000), 0.6), ((0.9, 30000), 0.25), ((0.8, 60000), 0.15))
"""(percentage, durationMs): 80/20 is the industry default."""

LANGUAGES: dict[str, tuple[str, str]] = {
    "en_US": ("English", "Spanish"),
    "en_GB": ("English", "Welsh"),
    "de_DE": ("German", "English"),
    "fr_FR": ("French", "English"),
    "ja_JP": ("Japanese", "English"),
}
"""Per locale: the language most queues speak and the one of the extra language queue."""

ORG_WORDS = (
    ("blue", "north", "bright", "summit", "harbor", "cedar", "silver", "river", "maple", "atlas"),
    ("peak", "wind", "line", "point", "bridge", "field", "stone", "gate", "works", "wave"),
)

CREATED_FROM_MS = 1546300800000
"""2019-01-01T00:00:00Z: directory entities are created during the three years after this."""
CREATED_SPAN_MS = 3 * 365 * 86400000


def created_ms(rng: random.Random) -> int:
    """A plausible creation time for a directory entity (fixed epoch, so no wall clock)."""
    return CREATED_FROM_MS + rng.randrange(CREATED_SPAN_MS)


T = TypeVar("T")


def weighted(rng: random.Random, table: Sequence[tuple[T, float]]) -> T:
    """Draw one value of a ``(value, weight)`` table."""
    values = [v for v, _ in table]
    weights = [w for _, w in table]
    return rng.choices(values, weights)[0]
