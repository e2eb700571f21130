"""The interview room's starting lists, loaded with the facility's defaults."""

from __future__ import annotations

from django.db import transaction

from counseling.models import ReferralService, Topic

# Where clients are referred most: Bergen's services; administrators edit the list.
DEFAULT_REFERRAL_SERVICES = [
    ("LAR (legemiddelassistert rehabilitering)", "LAR (opioid agonist treatment)"),
    ("Avrusning", "Detox"),
    ("NAV", "NAV (labour and welfare)"),
    ("Bolig", "Housing"),
    ("Legevakt / fastlege", "Emergency clinic / GP"),
    ("Psykisk helse", "Mental health"),
    ("Hepatitt C-behandling", "Hepatitis C treatment"),
    ("Tannhelse", "Dental care"),
    ("Strax-huset dagsenter", "Strax-huset day centre"),
]

# Topics of counseling as the issue and the city's Switch campaign name them; administrators edit them.
DEFAULT_TOPICS = [
    ("Behandling", "Treatment"),
    ("Bolig", "Housing"),
    ("Økonomi og NAV", "Money and NAV"),
    ("Helse", "Health"),
    ("Familie", "Family"),
    ("Juridiske spørsmål", "Legal matters"),
    (
        "Tryggere bruk, også overgang fra injisering til røyking (Switch)",
        "Safer use, incl. switching from injecting to smoking (Switch)",
    ),
    ("Annet", "Other"),
]


@transaction.atomic
def counseling_load_defaults() -> None:
    """Create the referral services and the counseling topics when there are none; never changes an edited list."""
    if not ReferralService.objects.exists():
        ReferralService.objects.bulk_create(
            ReferralService(name=name, name_en=name_en, position=position)
            for position, (name, name_en) in enumerate(DEFAULT_REFERRAL_SERVICES)
        )
    if not Topic.objects.exists():
        Topic.objects.bulk_create(
            Topic(name=name, name_en=name_en, position=position)
            for position, (name, name_en) in enumerate(DEFAULT_TOPICS)
        )
