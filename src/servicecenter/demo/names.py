"""Names for the demo's customers. The first are the real first customers named in seed 001;
the rest are invented, plausible agency names. No number attached to any of them is real."""

from __future__ import annotations

SEED_001_FIRST_CUSTOMERS = [
    "Skatteverket", "Försäkringskassan", "Kronofogdemyndigheten", "Lantmäteriet", "Pensionsmyndigheten",
    "Svenska ESF-rådet", "Rekryteringsmyndigheten", "Kammarkollegiet", "Arbetsgivarverket",
]

_STEMS = [
    "Fjäll", "Kust", "Skärgårds", "Älv", "Myr", "Heds", "Berg", "Dal", "Sjö", "Slätt", "Ås", "Mo", "Lid",
    "Ström", "Vik", "Näs", "Holm", "Udd", "Bäck", "Sund",
]
_KINDS = [
    "verket", "myndigheten", "styrelsen", "institutet", "nämnden", "inspektionen", "kontoret", "rådet",
]
_TOPICS = [
    "kulturmiljö", "vattenvård", "digital service", "kartdata", "statistikstöd", "arkivfrågor", "naturbruk",
    "forskningsstöd", "språkvård", "trafikanalys", "byggfrågor", "tillsynsfrågor", "folkbildning", "exportstöd",
    "energiomställning", "samhällsplanering", "rättsinformation", "konsumentstöd", "livsmedelsanalys", "krisberedskap",
]


def invented_names(count: int, taken: set[str]) -> list[str]:
    """``count`` distinct invented names not in ``taken`` (deterministic order)."""
    names: list[str] = []
    for stem in _STEMS:
        for kind in _KINDS:
            names.append(f"{stem}{kind}")
    for topic in _TOPICS:
        names.append(f"Myndigheten för {topic}")
        names.append(f"Statens institut för {topic}")
    for prefix in ("Centrum för", "Rådet för", "Delegationen för", "Nämnden för"):
        names.extend(f"{prefix} {topic}" for topic in _TOPICS)
    result = [name for name in names if name not in taken]
    if len(result) < count:
        raise ValueError(f"only {len(result)} invented names for {count} customers")
    return result[:count]


STOCKHOLM_ADMINISTRATIONS = [
    "Rinkeby-Kista stadsdelsförvaltning", "Spånga-Tensta stadsdelsförvaltning", "Hässelby-Vällingby stadsdelsförvaltning",
    "Bromma stadsdelsförvaltning", "Kungsholmens stadsdelsförvaltning", "Norrmalms stadsdelsförvaltning",
    "Östermalms stadsdelsförvaltning", "Södermalms stadsdelsförvaltning", "Enskede-Årsta-Vantörs stadsdelsförvaltning",
    "Skarpnäcks stadsdelsförvaltning", "Farsta stadsdelsförvaltning", "Älvsjö stadsdelsförvaltning",
    "Hägersten-Liljeholmens stadsdelsförvaltning", "Skärholmens stadsdelsförvaltning",
    "Utbildningsförvaltningen", "Socialförvaltningen", "Kulturförvaltningen", "Idrottsförvaltningen",
    "Miljöförvaltningen", "Trafikkontoret", "Exploateringskontoret", "Stadsbyggnadskontoret",
    "Arbetsmarknadsförvaltningen", "Äldreförvaltningen", "Fastighetskontoret", "Stadsledningskontoret",
    "Överförmyndarförvaltningen", "Revisionskontoret", "Stadsarkivet", "Kyrkogårdsförvaltningen",
]
STOCKHOLM_COMPANIES = ["Stockholms Stadshus AB", "Micasa Fastigheter i Stockholm AB", "Skolfastigheter i Stockholm AB", "Stockholm Vatten och Avfall AB"]
