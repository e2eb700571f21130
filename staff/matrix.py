"""The permission matrix: for every page and action, what each role gets on GET and on POST.

One table, decided here and checked by ``tests/staff/test_permission_matrix.py``, which walks every URL
pattern with every role; a page without a row fails that test, so no page ships without a decision.
``docs/permissions.md`` is rendered from this table (``manage.py permission_matrix --write``) and a test
keeps the two the same.

Each rule is two strings of one letter per role, in ``ROLES`` order, for GET and for POST:

- ``A`` allowed: the page or action answers (200, a redirect onwards, or a 400/404/409 about the input:
  the guard let the request through);
- ``D`` forbidden: 403;
- ``L`` sent to the login page;
- ``M`` method not allowed: 405 (pages are GET-only, state changes POST-only);
- ``P`` the Django admin's own model permissions decide (allowed or forbidden, never a login).

Beyond the page guards, what of a client's record a page shows is decided by field class, in one
table: ``staff.fieldclasses`` (counseling free text for counselors and coordinators; clinical fields for
health workers, duty officers and coordinators; reception sees a client's flags, not the notes behind
them), proved by ``tests/security/test_field_classes.py`` over every page and role.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from staff.fieldclasses import render_markdown as field_class_table

ROLES: tuple[str, ...] = ("reception", "counselor", "health", "duty", "coordinator", "admin", "norole", "anonymous")

OUTCOMES = {
    "A": _("allowed"),
    "D": _("forbidden"),
    "L": _("login"),
    "M": _("wrong method"),
    "P": _("admin permissions"),
}


@dataclass(frozen=True)
class Rule:
    get: str
    post: str

    def __post_init__(self) -> None:
        for letters in (self.get, self.post):
            if len(letters) != len(ROLES) or set(letters) - set(OUTCOMES):
                raise ValueError(f"A rule has one of {''.join(OUTCOMES)} per role ({len(ROLES)}): {letters!r}")

    def outcome(self, role: str, method: str) -> str:
        letters = self.get if method == "GET" else self.post
        return letters[ROLES.index(role)]


# Letters per role: reception, counselor, health, duty, coordinator, admin, norole, anonymous.
MATRIX: dict[str, Rule] = {
    # --- project ---
    "healthz": Rule("AAAAAAAA", "AAAAAAAA"),
    # --- admin ---
    "admin:index": Rule("LLLLLALL", "LLLLLALL"),
    "admin:login": Rule("DDDDDADL", "DDDDDADL"),
    "admin:logout": Rule("AAAAAMAL", "AAAAALAL"),
    "admin:password_change": Rule("LLLLLALL", "LLLLLALL"),
    "admin:password_change_done": Rule("LLLLLALL", "LLLLLMLL"),
    "admin:autocomplete": Rule("LLLLLDLL", "LLLLLMLL"),
    "admin:jsi18n": Rule("LLLLLALL", "LLLLLMLL"),
    "admin:view_on_site": Rule("LLLLLALL", "LLLLLALL"),
    "admin:app_list": Rule("LLLLLALL", "LLLLLALL"),
    # --- staff ---
    "staff:landing": Rule("AAAAAADL", "AAAAAADL"),
    "staff:login": Rule("AAAAAAAA", "AAAAAAAA"),
    "staff:logout": Rule("MMMMMMML", "LLLLLLLL"),
    "staff:language": Rule("MMMMMMMM", "AAAAAAAA"),
    "staff:switch-user": Rule("MMMMMMML", "LLLLLLLL"),
    "staff:idle-ping": Rule("MMMMMMML", "AAAAAAAL"),
    "staff:roster": Rule("DDDAADDL", "DDDAADDL"),
    "staff:roster-copy": Rule("MMMMMMML", "DDDDADDL"),
    "staff:shift-create": Rule("DDDDADDL", "DDDDADDL"),
    "staff:shift-update": Rule("DDDDADDL", "DDDDADDL"),
    "staff:shift-delete": Rule("MMMMMMML", "DDDDADDL"),
    "staff:my-shifts": Rule("AAAAAAAL", "AAAAAAAL"),
    "staff:handover-list": Rule("DDDAADDL", "DDDAADDL"),
    "staff:handover-unread": Rule("DDDADDDL", "DDDADDDL"),
    "staff:handover-create": Rule("DDDADDDL", "DDDADDDL"),
    "staff:handover-detail": Rule("DDDAADDL", "DDDAADDL"),
    "staff:handover-acknowledge": Rule("MMMMMMML", "DDDADDDL"),
    "staff:incident-list": Rule("DDDAADDL", "DDDAADDL"),
    "staff:incident-create": Rule("DDDADDDL", "DDDADDDL"),
    "staff:incident-detail": Rule("DDDAADDL", "DDDAADDL"),
    "staff:incident-edit": Rule("DDDADDDL", "DDDADDDL"),
    # --- health ---
    "health:room": Rule("DDAADDDL", "MMMMMMML"),
    "health:service-create": Rule("DDAADDDL", "DDAADDDL"),
    "health:client-history": Rule("DDAAADDL", "MMMMMMML"),
    "health:stock": Rule("DDAAADDL", "MMMMMMML"),
    "health:stock-delivery": Rule("MMMMMMML", "DDAADDDL"),
    "health:stock-count": Rule("MMMMMMML", "DDAADDDL"),
    "health:stocktake": Rule("DDAADDDL", "DDAADDDL"),
    "health:stocktake-result": Rule("DDAAADDL", "MMMMMMML"),
    "health:emergency-open": Rule("MMMMMMML", "AAAADDDL"),
    "health:emergency-open-unknown": Rule("AAAADDDL", "AAAADDDL"),
    "health:emergency-link": Rule("MMMMMMML", "DDAADDDL"),
    "health:emergency-detail": Rule("DDAAADDL", "MMMMMMML"),
    "health:emergency-intervention": Rule("MMMMMMML", "DDAADDDL"),
    "health:emergency-close": Rule("MMMMMMML", "DDAADDDL"),
    "health:emergency-record": Rule("MMMMMMML", "DDAADDDL"),
    "health:emergency-mark": Rule("MMMMMMML", "DDAADDDL"),
    "health:emergency-vitals": Rule("MMMMMMML", "DDAADDDL"),
    "health:emergency-sheet": Rule("DDAAADDL", "MMMMMMML"),
    "health:intervention-correct": Rule("MMMMMMML", "DDAADDDL"),
    "health:intervention-withdraw": Rule("MMMMMMML", "DDAADDDL"),
    "health:vitals-withdraw": Rule("MMMMMMML", "DDAADDDL"),
    # The alarm banner on every signed-in page polls this; "I am on it" for anyone who may raise one.
    "health:alarm": Rule("AAAAAAAL", "MMMMMMML"),
    "health:display-alarm": Rule("DDDDDDDD", "MMMMMMMM"),
    "health:emergency-answer": Rule("MMMMMMML", "AAAADDDL"),
    # --- reports ---
    "reports:dashboard": Rule("DDDAADDL", "DDDAADDL"),
    "reports:index": Rule("DDDDADDL", "DDDDADDL"),
    "reports:monthly-latest": Rule("DDDDADDL", "DDDDADDL"),
    "reports:monthly": Rule("DDDDADDL", "DDDDADDL"),
    "reports:monthly-csv": Rule("DDDDADDL", "DDDDADDL"),
    "reports:annual-latest": Rule("DDDDADDL", "DDDDADDL"),
    "reports:annual": Rule("DDDDADDL", "DDDDADDL"),
    "reports:annual-csv": Rule("DDDDADDL", "DDDDADDL"),
    # The printable day sheet: the duty officer's and the coordinator's; the administrator's shows the
    # figures and stock without the rows that name clients (staff.fieldclasses).
    "reports:day-sheet-today": Rule("DDDAAADL", "DDDAAADL"),
    "reports:day-sheet": Rule("DDDAAADL", "DDDAAADL"),
    # --- visits ---
    "visits:reception": Rule("ADDADDDL", "MMMMMMML"),
    "visits:reception-search": Rule("AAAAADDL", "MMMMMMML"),
    "visits:contact-create": Rule("ADAADDDL", "ADAADDDL"),
    "visits:client-register": Rule("AADADDDL", "AADADDDL"),
    "visits:client-detail": Rule("AAAAADDL", "MMMMMMML"),
    "visits:client-check-in": Rule("MMMMMMML", "ADDADDDL"),
    "visits:client-refuse": Rule("MMMMMMML", "ADDADDDL"),
    "visits:ban-create": Rule("DDDAADDL", "DDDAADDL"),
    "visits:ban-lift": Rule("MMMMMMML", "DDDAADDL"),
    "visits:injection": Rule("DDAADDDL", "MMMMMMML"),
    "visits:injection-board": Rule("DDAADDDL", "MMMMMMML"),
    "visits:observation": Rule("DDAADDDL", "MMMMMMML"),
    "visits:observation-board": Rule("DDAADDDL", "MMMMMMML"),
    "visits:floor": Rule("AAAADDDL", "MMMMMMML"),
    "visits:floor-board": Rule("AAAADDDL", "MMMMMMML"),
    "visits:booth-assign": Rule("MMMMMMML", "DDAADDDL"),
    "visits:booth-end": Rule("MMMMMMML", "DDAADDDL"),
    "visits:visit-hand-out": Rule("MMMMMMML", "DDAADDDL"),
    "visits:observation-check": Rule("MMMMMMML", "DDAADDDL"),
    "visits:observation-release": Rule("MMMMMMML", "DDAADDDL"),
    "visits:visit-move": Rule("MMMMMMML", "AAAADDDL"),
    "visits:visit-check-out": Rule("MMMMMMML", "ADAADDDL"),
    # The close-out at closing: the duty officer's, and the administrator's (the facility's manager).
    "visits:close-out": Rule("DDDADADL", "MMMMMMML"),
    "visits:close-out-all": Rule("MMMMMMML", "DDDADADL"),
    "visits:visit-close": Rule("MMMMMMML", "DDDADADL"),
    # A wall display's board: its token (a cookie), never a staff login; without one, the 403 page.
    "visits:display": Rule("DDDDDDDD", "MMMMMMMM"),
    "visits:display-board": Rule("DDDDDDDD", "MMMMMMMM"),
    "visits:display-enter": Rule("DDDDDDDD", "MMMMMMMM"),
    # --- counseling ---
    "counseling:interview": Rule("DADADDDL", "MMMMMMML"),
    "counseling:intake-create": Rule("DADADDDL", "DADADDDL"),
    "counseling:session-create": Rule("DADDDDDL", "DADDDDDL"),
    # The follow-up list of every open referral: those who follow up, and the coordinator; reception and
    # health workers make referrals (and open their own) but have no use for everyone's.
    "counseling:referral-list": Rule("DADAADDL", "MMMMMMML"),
    "counseling:referral-create": Rule("AAAADDDL", "AAAADDDL"),
    "counseling:referral-detail": Rule("AAAAADDL", "MMMMMMML"),
    "counseling:referral-status": Rule("MMMMMMML", "DADADDDL"),
    "counseling:referral-follow-up": Rule("MMMMMMML", "DADADDDL"),
    "counseling:client-timeline": Rule("AAAAADDL", "MMMMMMML"),
    # --- audit ---
    "audit:index": Rule("DDDDADDL", "MMMMMMML"),
    "audit:client-report": Rule("DDDDADDL", "MMMMMMML"),
    "audit:client-export": Rule("DDDDADDL", "MMMMMMML"),
    "audit:access-review": Rule("DDDDADDL", "MMMMMMML"),
    "audit:admin-changes": Rule("DDDDADDL", "MMMMMMML"),
}

# Every page of a model in the Django admin (list, add, change, delete, history, and the unnamed
# redirects): only administrators reach them, and their model permissions decide.
ADMIN_MODEL_PAGES = Rule("LLLLLPLL", "LLLLLPLL")

# Patterns another pattern answers first (the address is taken by an earlier one): listed so that the
# decision is visible, checked only for having a row.
SHADOWED: set[str] = set()


def rule_for(name: str, url: str) -> Rule | None:
    """The rule for a URL pattern by its name; the admin's model pages share one rule."""
    if name in MATRIX:
        return MATRIX[name]
    if name.startswith("admin:") or (not name and url.startswith("/admin/")):
        return ADMIN_MODEL_PAGES
    return None


def render_markdown() -> str:
    """docs/permissions.md, from the table above."""
    header = "| page (URL name) | method | " + " | ".join(ROLES) + " |"
    lines = [
        "# Permission matrix",
        "",
        "Generated from `staff/matrix.py` by `python manage.py permission_matrix --write`; a test fails when",
        "this file and the code differ. Every URL pattern must have a row: a test walks them all, for every",
        "role, a logged-in user without a role and an anonymous visitor.",
        "",
        "Outcomes: **allowed** (the page answers, or the action runs or reports a problem with its input),",
        "**forbidden** (403), **login** (sent to the login page), **wrong method** (405: pages are GET-only,",
        "changes POST-only), **admin permissions** (the Django admin's model permissions decide).",
        "",
        "Object rules inside pages: what of a client's record each role reads is decided by field class,",
        "in the table under [Fields by class](#fields-by-class).",
        "",
        "Who holds which role is decided in the admin, and every such change is kept: a user's groups,",
        "permissions and active, staff and superuser flags, a role's permissions, and every facility",
        "setting, with who, when, before and after (`audit/signals.py`). Coordinators read them on",
        "`audit:admin-changes`; nobody can change or delete them.",
        "",
        "Logging in: a username is locked at one address after `AXES_FAILURE_LIMIT` (5) failures, and at",
        "every address after `AXES_USERNAME_FAILURE_LIMIT` (20) failures within `AXES_COOLOFF` minutes from",
        "any addresses (`staff/lockout.py`). The second lock shuts the right person out as well, wherever",
        "they are; it lifts after the cool-off, or at once with `manage.py axes_reset_username <name>`.",
        "",
        header,
        "|" + "---|" * (len(ROLES) + 2),
    ]
    words = {"A": "allowed", "D": "forbidden", "L": "login", "M": "wrong method", "P": "admin permissions"}
    entries = [*MATRIX.items(), ("admin:* (model pages)", ADMIN_MODEL_PAGES)]
    for name, rule in entries:
        for method, letters in (("GET", rule.get), ("POST", rule.post)):
            cells = " | ".join(words[letter] for letter in letters)
            lines.append(f"| `{name}` | {method} | {cells} |")
    lines += ["", *field_class_table()]
    return "\n".join(lines).rstrip("\n") + "\n"
