"""The demo's organisations: the councils, the statutory bodies working across several
Compacts or the whole region, and the third-sector organisations of each Compact."""

from __future__ import annotations

from ...models import OrganisationType

COUNCILS: dict[str, str] = {
    "BIR": "Birmingham City Council",
    "COV": "Coventry City Council",
    "DUD": "Dudley Metropolitan Borough Council",
    "HEF": "Herefordshire Council",
    "SAW": "Sandwell Metropolitan Borough Council",
    "SHR": "Shropshire Council",
    "SOL": "Solihull Metropolitan Borough Council",
    "STS": "Staffordshire County Council",
    "STE": "Stoke-on-Trent City Council",
    "TFW": "Telford & Wrekin Council",
    "WLL": "Walsall Council",
    "WAR": "Warwickshire County Council",
    "WLV": "City of Wolverhampton Council",
    "WOR": "Worcestershire County Council",
    "CAN": "Cannock Chase District Council",
    "LIC": "Lichfield District Council",
    "TAM": "Tamworth Borough Council",
    "EST": "East Staffordshire Borough Council",
    "RUG": "Rugby Borough Council",
    "WAW": "Warwick District Council",
    "NUN": "Nuneaton and Bedworth Borough Council",
    "STR": "Stratford-on-Avon District Council",
    "RED": "Redditch Borough Council",
    "WYF": "Wyre Forest District Council",
    "WCS": "Worcester City Council",
    "MAL": "Malvern Hills District Council",
}

# Statutory bodies working across several Compacts: (name, type, the Compacts they cover).
# The first Compact covered is the one recorded as where the body mainly works.
AREA_BODIES: tuple[tuple[str, OrganisationType, tuple[str, ...]], ...] = (
    ("NHS Birmingham and Solihull Integrated Care Board", OrganisationType.NHS, ("BIR", "SOL")),
    ("NHS Coventry and Warwickshire Integrated Care Board", OrganisationType.NHS, ("COV", "WAR")),
    (
        "NHS Black Country Integrated Care Board",
        OrganisationType.NHS,
        ("WLV", "DUD", "SAW", "WLL"),
    ),
    (
        "NHS Herefordshire and Worcestershire Integrated Care Board",
        OrganisationType.NHS,
        ("WOR", "HEF"),
    ),
    (
        "NHS Shropshire, Telford and Wrekin Integrated Care Board",
        OrganisationType.NHS,
        ("SHR", "TFW"),
    ),
    (
        "NHS Staffordshire and Stoke-on-Trent Integrated Care Board",
        OrganisationType.NHS,
        ("STS", "STE"),
    ),
    (
        "West Midlands Police",
        OrganisationType.POLICE,
        ("BIR", "COV", "DUD", "SAW", "SOL", "WLL", "WLV"),
    ),
    ("Warwickshire Police", OrganisationType.POLICE, ("WAR",)),
    ("Staffordshire Police", OrganisationType.POLICE, ("STS", "STE")),
    ("West Mercia Police", OrganisationType.POLICE, ("WOR", "HEF", "SHR", "TFW")),
    (
        "West Midlands Fire Service",
        OrganisationType.FIRE_RESCUE,
        ("BIR", "COV", "DUD", "SAW", "SOL", "WLL", "WLV"),
    ),
    ("Warwickshire Fire and Rescue Service", OrganisationType.FIRE_RESCUE, ("WAR",)),
    ("Staffordshire Fire and Rescue Service", OrganisationType.FIRE_RESCUE, ("STS", "STE")),
    ("Hereford & Worcester Fire and Rescue Service", OrganisationType.FIRE_RESCUE, ("WOR", "HEF")),
    ("Shropshire Fire and Rescue Service", OrganisationType.FIRE_RESCUE, ("SHR", "TFW")),
)

# Funders working across the whole region: no Compact of their own.
REGIONAL_BODIES: tuple[str, ...] = (
    "West Midlands Combined Authority",
    "Arts Council England, Midlands",
)

_C = OrganisationType.CHARITY
_G = OrganisationType.COMMUNITY_GROUP
_S = OrganisationType.SOCIAL_ENTERPRISE
_V = OrganisationType.CVS

# Third-sector organisations by Compact: the CVS (upper tier) and local charities and groups.
THIRD_SECTOR: dict[str, tuple[tuple[str, OrganisationType], ...]] = {
    "BIR": (
        ("Birmingham Voluntary Service Council", _V),
        ("Sparkbrook Youth Project", _C),
        ("Ladywood Community Food Bank", _G),
        ("Handsworth Elders Lunch Club", _G),
        ("Kings Norton Community Transport", _S),
        ("Small Heath Women's Advice Centre", _C),
    ),
    "COV": (
        ("Voluntary Action Coventry", _V),
        ("Foleshill Women's Training", _C),
        ("Hillfields Community Kitchen", _S),
        ("Tile Hill Carers Network", _G),
        ("Wood End Family Support Project", _C),
    ),
    "DUD": (
        ("Dudley CVS", _V),
        ("Netherton Family Centre", _C),
        ("Brierley Hill Men's Shed", _G),
        ("Stourbridge Dementia Café", _G),
        ("Black Country Advocacy Partnership", _C),
    ),
    "HEF": (
        ("Herefordshire Voluntary Action", _V),
        ("Golden Valley Rural Transport", _C),
        ("Leominster Community Shop", _S),
        ("Ross-on-Wye Young Carers", _C),
    ),
    "SAW": (
        ("Sandwell Council of Voluntary Organisations", _V),
        ("Smethwick Asian Elders Association", _G),
        ("West Bromwich Homeless Outreach", _C),
        ("Oldbury Play Association", _C),
        ("Wednesbury Food Co-operative", _S),
    ),
    "SHR": (
        ("Shropshire Voluntary Community Sector Assembly", _V),
        ("Oswestry Rural Carers", _C),
        ("Ludlow Community Hub", _G),
        ("Bishop's Castle Community Transport", _S),
    ),
    "SOL": (
        ("Solihull Action Through Volunteering", _V),
        ("North Solihull Youth Partnership", _C),
        ("Kingshurst Community Garden", _G),
        ("Shirley Bereavement Support", _C),
    ),
    "STS": (
        ("Support Staffordshire", _V),
        ("Leek Moorlands Carers", _C),
        ("Stafford Domestic Abuse Project", _C),
        ("Stone Community Hub", _G),
    ),
    "STE": (
        ("Voluntary Action Stoke-on-Trent", _V),
        ("Hanley Drop-in Centre", _C),
        ("Burslem Arts Collective", _S),
        ("Longton Refugee Support", _C),
        ("Fenton Over-60s Club", _G),
    ),
    "TFW": (
        ("Telford & Wrekin CVS", _V),
        ("Wellington Youth Forum", _G),
        ("Madeley Community Pantry", _G),
        ("Dawley Disability Access Group", _C),
    ),
    "WLL": (
        ("Walsall Voluntary Action", _V),
        ("Palfrey Women's Circle", _G),
        ("Bloxwich Community Larder", _G),
        ("Darlaston Young People's Trust", _C),
    ),
    "WAR": (
        ("Warwickshire Community and Voluntary Action", _V),
        ("Kenilworth Carers Support", _C),
        ("Atherstone Rural Transport", _S),
        ("Leamington Refugee Drop-in", _C),
        ("Bedworth Men's Mental Health Group", _G),
    ),
    "WLV": (
        ("Wolverhampton Voluntary Sector Council", _V),
        ("Whitmore Reans Community Pantry", _G),
        ("Heath Town Youth Project", _C),
        ("Low Hill Elders Forum", _G),
        ("Wolverhampton Deaf Community Centre", _C),
    ),
    "WOR": (
        ("Worcestershire Voluntary Action", _V),
        ("Evesham Migrant Workers Advice", _C),
        ("Droitwich Spa Community Transport", _S),
        ("Pershore Youth Theatre", _G),
        ("Bromsgrove Domestic Abuse Support", _C),
    ),
    "CAN": (("Hednesford Community Larder", _G),),
    "LIC": (("Lichfield Rural Carers", _C),),
    "TAM": (("Tamworth Young Carers", _C),),
    "EST": (("Burton Asian Women's Network", _G),),
    "RUG": (("Rugby Youth Counselling", _C),),
    "WAW": (("Warwick Day Centre Trust", _C),),
    "NUN": (("Nuneaton Food Share", _G),),
    "STR": (("Shipston Community Transport", _S),),
    "RED": (("Redditch Recovery Network", _C),),
    "WYF": (("Kidderminster Furniture Reuse", _S),),
    "WCS": (("Worcester Homeless Breakfast Club", _G),),
    "MAL": (("Malvern Hills Volunteer Wardens", _G),),
}


# Other names the demo's organisations go by in the spreadsheets officers keep, declared so
# that an imported file naming them so finds them (imports match names exactly, never guess).
ALIASES: dict[str, tuple[str, ...]] = {
    "Birmingham City Council": ("BCC", "Birmingham CC"),
    "Coventry City Council": ("CCC",),
    "West Midlands Police": ("WMP",),
    "Birmingham Voluntary Service Council": ("BVSC",),
}

# Postal addresses for Birmingham's letters (the council's is its published one; the
# voluntary organisations' are made up), one line a line.
ADDRESSES: dict[str, str] = {
    "Birmingham City Council": "Council House\nVictoria Square\nBirmingham B1 1BB",
    "Birmingham Voluntary Service Council": "138 Digbeth\nBirmingham B5 6DR",
    "Sparkbrook Youth Project": "12 Ladypool Road\nSparkbrook\nBirmingham B12 8JX",
    "Ladywood Community Food Bank": "The Old Chapel\nLadywood Middleway\nBirmingham B16 8HA",
    "Handsworth Elders Lunch Club": "45 Soho Road\nHandsworth\nBirmingham B21 9SR",
    "Kings Norton Community Transport": "Unit 3, Pershore Road South\nBirmingham B30 3EJ",
    "Small Heath Women's Advice Centre": "210 Coventry Road\nSmall Heath\nBirmingham B10 0RA",
}
