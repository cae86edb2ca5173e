"""The entities: persons, grouped in households with parents and children."""

from openfisca_core.entities import build_entity

Person = build_entity(
    key="person",
    plural="persons",
    label="A person",
    is_person=True,
)

Household = build_entity(
    key="household",
    plural="households",
    label="A household",
    roles=[
        {"key": "parent", "plural": "parents", "label": "Parents", "max": 2},
        {"key": "child", "plural": "children", "label": "Children"},
    ],
)

ENTITIES = [Person, Household]
