"""Keep the `places` table in step with the gazetteer records the pipeline resolved to."""

from __future__ import annotations

from sqlalchemy.orm import Session

from geo.gazetteer import PlaceRecord
from store.schema import Place


def ensure_place(session: Session, record: PlaceRecord) -> int:
    if session.get(Place, record.id) is None:
        session.add(Place(id=record.id, name=record.name, country_code=record.country_code, admin1=record.admin1,
                          kind=record.kind, lat=record.lat, lon=record.lon, population=record.population,
                          source=record.source))
        session.flush()
    return record.id
