"""Who does what in the demo country: organisations with their services, projects and lessons
(in English, French and Spanish), written and approved through the directory's own service.

The provinces most children come from in the south Asia scenario are partly covered, so the
coverage page shows gaps (Madhesh, Lumbini, Sudurpashchim). One entry waits for approval and
one is a draft, so the review queue and an agency's own drafts show something too.
"""

from __future__ import annotations

from typing import Any

from lantern.accounts.models import User
from lantern.directory import service
from lantern.directory.models import OrganisationService

GIRLS = ["Feminine"]
ORGS: list[dict[str, Any]] = [
    {
        "entry": {
            "name": "Maison Arc-en-ciel",
            "type": "NGO",
            "country": "NPL",
            "language": "fr",
            "description": "Accueil, sécurité et retour à l'école des enfants victimes de la "
            "traite, en particulier des filles rapatriées d'Inde.",
            "areas": ["NPL/Bagmati"],
            "sexes": GIRLS,
            "age_min": 8,
            "age_max": 17,
            "capacity": 40,
            "services": ["accommodation", "psychosocial", "education"],
            "referral_criteria": "Filles de 8 à 17 ans identifiées comme victimes, avec "
            "l'accord de l'enfant.",
            "contact": "Bureau de Katmandou",
        },
        "services": [
            {
                "name": "Hébergement sécurisé",
                "support_type": "accommodation",
                "language": "fr",
                "description": "Foyer protégé pour les enfants en danger immédiat.",
            },
            {
                "name": "Soutien psychosocial",
                "support_type": "psychosocial",
                "language": "fr",
                "description": "Entretiens individuels et groupes de parole pour les enfants.",
            },
        ],
        "projects": [
            {
                "title": "Retour à l'école",
                "language": "fr",
                "funders": ["UNICEF", "Fondation Soleil"],
                "budget": "48000",
                "currency": "USD",
                "areas": ["NPL/Bagmati"],
                "start": "2025-01-01",
                "end": "2026-12-31",
                "description": "Classes passerelles pour les enfants sortis des fabriques "
                "de tapis.",
            },
        ],
        "lessons": [
            {
                "title": "Les classes passerelles avant l'école ordinaire",
                "result": "success",
                "language": "fr",
                "tried": "Six mois de classes passerelles avant l'inscription.",
                "text": "Les enfants restent plus souvent à l'école quand ils y arrivent préparés.",
            },
            {
                "title": "Des transferts d'argent sans suivi",
                "result": "failure",
                "language": "fr",
                "tried": "Une aide financière aux familles, sans visite à domicile.",
                "text": "Plusieurs enfants sont repartis travailler: l'aide seule ne suffit pas.",
            },
        ],
    },
    {
        "entry": {
            "name": "Fundación Camino Seguro",
            "type": "NGO",
            "country": "NPL",
            "language": "es",
            "description": "Asistencia jurídica y formación profesional para niñas y niños "
            "víctimas de trata.",
            "areas": ["NPL/Koshi"],
            "age_min": 12,
            "age_max": 17,
            "capacity": 25,
            "services": ["legal", "vocational_training"],
            "referral_criteria": "Adolescentes de 12 a 17 años.",
        },
        "services": [
            {
                "name": "Asistencia jurídica",
                "support_type": "legal",
                "language": "es",
                "description": "Acompañamiento en el proceso penal y en las declaraciones.",
            },
            {
                "name": "Formación profesional",
                "support_type": "vocational_training",
                "language": "es",
                "description": "Talleres de costura y de electricidad.",
            },
        ],
        "projects": [
            {
                "title": "Oficios para el futuro",
                "language": "es",
                "funders": ["OIT"],
                "budget": "30000",
                "currency": "USD",
                "areas": ["NPL/Koshi"],
                "start": "2024-06-01",
                "end": "2026-05-31",
            },
        ],
        "lessons": [
            {
                "title": "Prácticas pagadas en empresas locales",
                "result": "potential",
                "language": "es",
                "tried": "Prácticas de tres meses con un pequeño salario.",
                "text": "Prometedor, pero pocas empresas aceptan menores de 16 años.",
            },
        ],
    },
    {
        "entry": {
            "name": "Hill Health Post",
            "type": "HealthServiceOrganisation",
            "country": "NPL",
            "language": "en",
            "description": "Medical care and counselling for children in the district.",
            "areas": ["NPL/Bagmati", "NPL/Koshi"],
            "services": ["medical", "psychosocial"],
        },
        "services": [
            {
                "name": "Medical examination",
                "support_type": "medical",
                "language": "en",
                "description": "Examination and treatment on the day of referral.",
            },
        ],
        "projects": [],
        "lessons": [
            {
                "title": "A female doctor on call",
                "result": "success",
                "language": "en",
                "tried": "A female doctor available for girls' first examination.",
                "text": "More girls agreed to be examined and came back for follow-up.",
            },
        ],
    },
]


def seed_directory(
    agency_admin: str = "demo-agency-admin", coordinator: str = "demo-coordinator"
) -> dict[str, int]:
    """Write the demo directory once (skipped when its services exist)."""
    if OrganisationService.objects.exists():
        return {"organisations": 0}
    admin = User.objects.get(username=agency_admin)
    coord = User.objects.get(username=coordinator)
    counts = {"organisations": 0, "entries": 0}
    first = None
    for i, spec in enumerate(ORGS):
        writer = admin if i == 0 else coord  # the first is the demo agency's own entry
        org = service.create_organisation(writer, spec["entry"], source="demo")
        _approve(writer, coord, "organisation", org.pk)
        first = first or org
        counts["organisations"] += 1
        for kind in ("service", "project", "lesson"):
            for data in spec[f"{kind}s"]:
                row = service.add(writer, kind, org.pk, data, source="demo")
                _approve(writer, coord, kind, row.pk)
                counts["entries"] += 1
    org = service.create_organisation(
        admin,
        {
            "name": "Community Watch Network",
            "type": "NGO",
            "country": "NPL",
            "language": "en",
            "description": "Village volunteers who report children at risk of being trafficked.",
            "areas": ["NPL/Madhesh"],
            "services": ["social_care"],
        },
        source="demo",
    )
    service.submit(admin, "organisation", org.pk, source="demo")  # waits for the coordinator
    assert first is not None  # the demo agency's own entry (ORGS[0]), which its admin keeps
    service.add(
        admin,
        "project",
        first.pk,
        {"title": "Brouillon: écoles d'hiver", "language": "fr"},
        source="demo",
    )  # a draft
    return counts


def _approve(writer: Any, coord: Any, kind: str, pk: int) -> None:
    service.submit(writer, kind, pk, source="demo")
    service.approve(coord, kind, pk, source="demo")
