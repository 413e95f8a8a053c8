"""The forms' own wording in every language, for what no declaration or code list words.

Kept as plain data beside the forms (as the taxonomy keeps its labels), so that a field form
reads in French or Spanish on a device without Lantern's message catalogues.
"""

from __future__ import annotations

from typing import Any

from django.utils import translation

from lantern.taxonomy import LANGUAGES

W: dict[str, dict[str, str]] = {
    "intake": {"en": "Lantern: intake", "fr": "Lantern : accueil", "es": "Lantern: ingreso"},
    "screening": {
        "en": "Lantern: screening",
        "fr": "Lantern : détection",
        "es": "Lantern: identificación",
    },
    "followup": {
        "en": "Lantern: follow-up visit",
        "fr": "Lantern : visite de suivi",
        "es": "Lantern: visita de seguimiento",
    },
    "registration_date": {
        "en": "Date the child was met",
        "fr": "Date de la rencontre avec l'enfant",
        "es": "Fecha en que se encontró al niño o la niña",
    },
    "intake_channel": {
        "en": "How did the child come to us?",
        "fr": "Comment l'enfant nous est-il parvenu ?",
        "es": "¿Cómo llegó el niño o la niña?",
    },
    "child": {"en": "The child", "fr": "L'enfant", "es": "El niño o la niña"},
    "birthdate_estimated": {
        "en": "Is the date of birth an estimate?",
        "fr": "La date de naissance est-elle estimée ?",
        "es": "¿La fecha de nacimiento es aproximada?",
    },
    "documented_age": {
        "en": "Age a document gives, if different",
        "fr": "Âge indiqué par un document, s'il diffère",
        "es": "Edad que indica un documento, si es distinta",
    },
    "home_state": {"en": "Home province", "fr": "Province d'origine", "es": "Provincia de origen"},
    "home_city": {
        "en": "Home district or village",
        "fr": "District ou village d'origine",
        "es": "Distrito o aldea de origen",
    },
    "what_happened": {"en": "What happened", "fr": "Ce qui s'est passé", "es": "Lo que ocurrió"},
    "exploitation_forms": {
        "en": "Forms of exploitation",
        "fr": "Formes d'exploitation",
        "es": "Formas de explotación",
    },
    "age_when_trafficked": {
        "en": "Age when recruited",
        "fr": "Âge au recrutement",
        "es": "Edad en la captación",
    },
    "recruitment_method": {
        "en": "How was the child recruited?",
        "fr": "Comment l'enfant a-t-il été recruté ?",
        "es": "¿Cómo fue captado el niño o la niña?",
    },
    "relationship_to_trafficker": {
        "en": "Relationship to the recruiter",
        "fr": "Lien avec le recruteur",
        "es": "Relación con el captador",
    },
    "vulnerabilities": {"en": "Vulnerabilities", "fr": "Vulnérabilités", "es": "Vulnerabilidades"},
    "smuggled": {
        "en": "Was the passage knowingly bought?",
        "fr": "Le passage a-t-il été payé en connaissance de cause ?",
        "es": "¿Se pagó el paso a sabiendas?",
    },
    "means": {
        "en": "Means (asked of adults only)",
        "fr": "Moyens (seulement pour un adulte)",
        "es": "Medios (solo para un adulto)",
    },
    "means_hint": {
        "en": "For a child, no means are needed: these questions are not asked.",
        "fr": "Pour un enfant, aucun moyen n'est requis : ces questions ne sont pas posées.",
        "es": "Para un niño o una niña no se requieren medios: no se hacen estas preguntas.",
    },
    "control_methods": {
        "en": "How was the person controlled?",
        "fr": "Comment la personne était-elle contrôlée ?",
        "es": "¿Cómo se controlaba a la persona?",
    },
    "journey": {"en": "Journey step", "fr": "Étape du trajet", "es": "Etapa del viaje"},
    "step_type": {"en": "Step", "fr": "Étape", "es": "Etapa"},
    "step_date": {"en": "Date", "fr": "Date", "es": "Fecha"},
    "step_country": {"en": "Country", "fr": "Pays", "es": "País"},
    "step_state": {"en": "Province", "fr": "Province", "es": "Provincia"},
    "step_city": {"en": "Town or place", "fr": "Ville ou lieu", "es": "Ciudad o lugar"},
    "step_transport": {"en": "Transport", "fr": "Transport", "es": "Transporte"},
    "step_crossing": {
        "en": "Border crossing",
        "fr": "Passage de la frontière",
        "es": "Cruce de frontera",
    },
    "legal": {"en": "Legal", "fr": "Régulier", "es": "Regular"},
    "illegal": {"en": "Illegal", "fr": "Irrégulier", "es": "Irregular"},
    "episodes": {
        "en": "Exploitation episode",
        "fr": "Épisode d'exploitation",
        "es": "Episodio de explotación",
    },
    "episode_form": {"en": "Form", "fr": "Forme", "es": "Forma"},
    "episode_isic": {"en": "Sector", "fr": "Secteur", "es": "Sector"},
    "episode_start": {"en": "Start", "fr": "Début", "es": "Inicio"},
    "episode_end": {"en": "End", "fr": "Fin", "es": "Fin"},
    "episode_country": {"en": "Country", "fr": "Pays", "es": "País"},
    "consent": {
        "en": "Consent to the processing of data for assistance",
        "fr": "Consentement au traitement des données pour l'aide",
        "es": "Consentimiento al tratamiento de datos para la asistencia",
    },
    "tracing_consent": {
        "en": "Consent to family tracing",
        "fr": "Consentement à la recherche de la famille",
        "es": "Consentimiento a la búsqueda de la familia",
    },
    "yes": {"en": "Yes", "fr": "Oui", "es": "Sí"},
    "no": {"en": "No", "fr": "Non", "es": "No"},
    "unknown": {"en": "Unknown", "fr": "Inconnu", "es": "Desconocido"},
    "not_future": {
        "en": "A date in the future is not possible.",
        "fr": "Une date future n'est pas possible.",
        "es": "No puede ser una fecha futura.",
    },
    "too_long": {
        "en": "Too long: at most this many characters",
        "fr": "Trop long : au plus ce nombre de caractères",
        "es": "Demasiado largo: como máximo este número de caracteres",
    },
    "age_range": {
        "en": "A whole number from 0 to 120.",
        "fr": "Un nombre entier de 0 à 120.",
        "es": "Un número entero de 0 a 120.",
    },
    "after_birth": {
        "en": "Not before the date of birth.",
        "fr": "Pas avant la date de naissance.",
        "es": "No antes de la fecha de nacimiento.",
    },
    "end_after_start": {
        "en": "The end is not before the start.",
        "fr": "La fin n'est pas avant le début.",
        "es": "El fin no es anterior al inicio.",
    },
    "not_older": {
        "en": "Not older than the age now.",
        "fr": "Pas plus que l'âge actuel.",
        "es": "No mayor que la edad actual.",
    },
    "age": {"en": "Age in years", "fr": "Âge en années", "es": "Edad en años"},
    "age_basis": {
        "en": "How is the age known?",
        "fr": "Comment l'âge est-il connu ?",
        "es": "¿Cómo se conoce la edad?",
    },
    "reasons_to_believe_child": {
        "en": "Are there reasons to believe the person is a child?",
        "fr": "Y a-t-il des raisons de croire que la personne est un enfant ?",
        "es": "¿Hay razones para creer que la persona es menor de edad?",
    },
    "acts": {"en": "Acts", "fr": "Actes", "es": "Actos"},
    "purposes": {"en": "Purposes", "fr": "Fins", "es": "Fines"},
    "indicators": {
        "en": "ILO/EC indicators",
        "fr": "Indicateurs OIT/CE",
        "es": "Indicadores OIT/CE",
    },
    "case_reference": {
        "en": "Case reference",
        "fr": "Référence du dossier",
        "es": "Referencia del caso",
    },
    "visit_date": {
        "en": "Date of the visit",
        "fr": "Date de la visite",
        "es": "Fecha de la visita",
    },
    "wellbeing": {
        "en": "Wellbeing (0 very poor to 4 good)",
        "fr": "Bien-être (0 très mauvais à 4 bon)",
        "es": "Bienestar (0 muy malo a 4 bueno)",
    },
    "score": {
        "en": "A score from 0 to 4.",
        "fr": "Une note de 0 à 4.",
        "es": "Una puntuación de 0 a 4.",
    },
    "retrafficking_risk": {
        "en": "Risk of re-trafficking",
        "fr": "Risque de nouvelle traite",
        "es": "Riesgo de nueva trata",
    },
    "notes": {"en": "Notes", "fr": "Notes", "es": "Notas"},
}


def text(key: str) -> dict[str, str]:
    return W[key]


def translated(lazy: Any) -> dict[str, str]:
    """A gettext_lazy label (the declaration's, a model's choice) in every language."""
    out = {}
    for lang in LANGUAGES:
        with translation.override(lang):
            out[lang] = str(lazy)
    return out
