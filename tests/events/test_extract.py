"""Events of short articles through the real pipeline: one event per day and place, evidence per field,
claims contested across sentences, references to an event already told."""

from __future__ import annotations

from pipeline_fixtures import pipeline, read  # noqa: F401 (pytest fixtures)

from datetime import date


def _events(reading):
    return [(e.event_date.isoformat(), e.event_type, e.place.name if e.place else None) for e in reading.events]


def test_every_field_has_its_evidence(read):
    text = ("date 2020-10-29 BAKU, AZERBAIJAN – Rockets fired by Armenian forces hit the center of Barda on Wednesday, "
            "killing at least 21 civilians, the Azerbaijani Ministry of Defense said.")
    reading = read(text)
    assert len(reading.events) == 1
    event = reading.events[0]
    assert (event.event_date, event.event_type, event.place.name) == (
        date(2020, 10, 28), "Explosions/Remote violence", "Barda")
    assert event.fatalities == {"low": 21, "best": 21, "high": None}
    spans = {name: [text[s:e] for s, e in spans] for name, spans in event.evidence.items()}
    assert spans["date"] == ["Wednesday"]
    assert spans["place"] == ["Barda"]
    assert spans["actor1"] == ["Armenian forces"]
    assert "21 civilians" in spans["fatalities"][0]
    assert spans["claimed_by"] == ["Azerbaijani Ministry of Defense"]
    assert set(spans) >= {"event_type", "sub_event_type", "time_precision", "geo_precision"}


def test_one_event_per_day_when_a_statement_covers_two(read):
    reading = read("date 2020-11-04 YEREVAN, ARMENIA – Officials said heavy fighting went on near Hadrut "
                   "on Monday and Tuesday.")
    assert sorted(e[0] for e in _events(reading)) == ["2020-11-02", "2020-11-03"]


def test_a_denial_in_the_next_sentence_contests_the_claim(read):
    reading = read("date 2020-10-04 STEPANAKERT, AZERBAIJAN – President Ilham Aliyev announced on Sunday that his army "
                   "had captured the town of Jabrayil. The Armenian defence ministry dismissed the claim.")
    capture = [e for e in reading.events if e.sub_event_type == "Government regains territory"]
    assert capture and capture[0].contested and capture[0].claimed_by == "Ilham Aliyev"
    assert capture[0].actor1 == "Military Forces of Azerbaijan"
    start, end = capture[0].evidence["contested"][0]
    assert reading.article.text[start:end] == "dismissed"


def test_a_mention_of_the_attack_adds_to_the_event_told(read):
    reading = read("date 2020-10-28 BAKU, AZERBAIJAN – Rockets hit the center of Barda on Wednesday. "
                   "It was the second attack on Barda in as many days.")
    assert _events(reading) == [("2020-10-28", "Explosions/Remote violence", "Barda")]


def test_a_local_story_happens_where_it_is_filed(read):
    reading = read("date 2020-11-12 YEREVAN, ARMENIA – Police detained dozens of people on Wednesday as thousands "
                   "gathered in Freedom Square to demand the prime minister's resignation.")
    assert _events(reading) == [("2020-11-11", "Protests", "Yerevan")]


def test_a_capital_named_for_its_government_is_not_the_site(read):
    reading = read("date 2020-10-05 YEREVAN, ARMENIA – Rockets hit Ganja on Sunday, killing one civilian. "
                   "Baku said Armenian forces had shelled the town again overnight.")
    assert all(place != "Baku" for _, _, place in _events(reading))


def test_an_agreement_is_placed_where_it_was_concluded(read):
    reading = read("date 2020-10-10 MOSCOW, RUSSIA – Armenia and Azerbaijan agreed to a humanitarian ceasefire in "
                   "Nagorno-Karabakh from noon on Saturday after talks that lasted ten hours in the Russian capital. "
                   "The truce follows two weeks of fighting.")
    assert _events(reading) == [("2020-10-10", "Strategic developments", "Moscow")]


def test_an_agreement_without_a_venue_goes_to_the_region_it_covers(read):
    reading = read("date 2020-11-10 YEREVAN, ARMENIA – The leaders signed a statement ending the war in "
                   "Nagorno-Karabakh on Tuesday.")
    assert [(e.event_type, e.place.kind, e.geo_precision) for e in reading.events] == [
        ("Strategic developments", "region", 3)]


def test_the_date_of_an_appended_clause_is_not_the_events(read):
    reading = read("date 2020-10-17 BAKU, AZERBAIJAN – Officials said a new truce would begin at midnight, "
                   "in line with the understanding reached in Moscow a week earlier.")
    assert [(e.event_date.isoformat(), e.sub_event_type) for e in reading.events] == [("2020-10-17", "Agreement")]


def test_parallel_places_are_parallel_events(read):
    reading = read("date 2020-10-06 BAKU, AZERBAIJAN – Shelling hit the town of Barda and villages in the Tartar "
                   "district on Monday morning, the Azerbaijani defence ministry said.")
    assert {place for _, _, place in _events(reading)} >= {"Barda", "Tartar"}
    assert all(e.claimed_by == "Azerbaijani Ministry of Defense" for e in reading.events)


def test_the_other_sides_account_contests_the_event_and_adds_none(read):
    reading = read("date 2020-09-27 YEREVAN, ARMENIA – Heavy fighting broke out near Martakert on Sunday, the Armenian "
                   "defence ministry said. Baku gave a different account, saying its troops had shelled positions "
                   "only after Armenian artillery fire.")
    assert [(e.event_type, e.contested) for e in reading.events] == [("Battles", True)]


def test_pictures_of_the_event_are_not_another_event(read):
    reading = read("date 2022-03-21 LVIV, UKRAINE – Russian troops fired shots to break up a rally in Kherson on "
                   "Monday. Videos posted by residents showed people running as armed men fired into the air.")
    assert [e.event_type for e in reading.events] == ["Protests"]


def test_aircraft_shot_down_in_a_battle_are_its_losses(read):
    reading = read("date 2020-09-27 YEREVAN, ARMENIA – Heavy fighting broke out near Martakert on Sunday. "
                   "The ministry said its units shot down two helicopters and three drones.")
    assert [e.event_type for e in reading.events] == ["Battles"]
    assert reading.events[0].losses == {"helicopters": 2, "UAVs": 3}


def test_a_sides_denial_contests_what_it_is_accused_of(read):
    reading = read("date 2020-10-05 BAKU, AZERBAIJAN – Rockets fired by Armenian forces hit Ganja on Sunday, killing "
                   "one civilian. Later, Armenia denied targeting civilian areas.")
    shelling = [e for e in reading.events if e.event_type == "Explosions/Remote violence"]
    assert shelling and shelling[0].contested
    assert reading.article.text[slice(*shelling[0].evidence["contested"][0])] == "denied"


def test_the_attribution_of_a_paragraph_covers_its_sentences(read):
    reading = read("date 2022-03-01 KYIV, UKRAINE – A Russian missile struck the administration building in Kharkiv "
                   "on Tuesday. Ten people were killed, Ukrainian officials said.")
    assert [(e.claimed_by, (e.fatalities or {}).get("best")) for e in reading.events] == [("Ukrainian officials", 10)]


def test_geo_precision_follows_acled(read):
    reading = read("date 2020-10-08 BAKU, AZERBAIJAN – Shelling hit villages in the Tartar district on Monday. "
                   "On Tuesday, heavy fighting went on in the Fuzuli and Jabrayil districts. "
                   "On Wednesday, drones struck positions on the outskirts of Shusha.")
    by_day = {e.event_date.isoformat(): e.geo_precision for e in reading.events}
    assert by_day == {"2020-10-05": 2, "2020-10-06": 3, "2020-10-07": 2}


def test_the_day_it_was_said_is_not_the_day_it_happened(read):
    reading = read("date 2020-10-06 BAKU, AZERBAIJAN – Officials said on Monday that Armenian forces had fired "
                   "rockets towards Mingachevir the previous day.")
    assert [e.event_date.isoformat() for e in reading.events] == ["2020-10-04"]


def test_a_town_taken_from_government_forces_is_a_non_state_gain(read):
    reading = read("date 2020-02-28 BEIRUT, LEBANON – Rebels recaptured the town of Saraqib from government forces "
                   "on Thursday.")
    assert [e.sub_event_type for e in reading.events] == ["Non-state actor overtakes territory"]


def test_a_days_fighting_that_ends_in_a_capture_is_a_territory_change(read):
    reading = read("date 2020-11-09 BAKU, AZERBAIJAN – Azerbaijani troops stormed Shusha on Sunday. "
                   "By the evening they had taken Shusha, the ministry said.")
    assert [(e.event_type, e.sub_event_type) for e in reading.events] == [("Battles", "Government regains territory")]


def test_an_agreement_announced_in_a_later_clause_venue_is_placed_there_on_that_day(read):
    reading = read("date 2020-10-26 YEREVAN, ARMENIA – A ceasefire took effect in Nagorno-Karabakh at 8 a.m. on Monday. "
                   "The truce was announced on Sunday in a joint statement, after the envoy held separate meetings "
                   "in Washington with both foreign ministers.")
    agreements = [e for e in reading.events if e.sub_event_type == "Agreement"]
    assert [(e.event_date, e.place.name) for e in agreements] == [(date(2020, 10, 25), "Washington")]


def test_fighting_at_an_unnamed_front_is_not_put_in_the_filing_city(read):
    reading = read("date 2020-10-18 YEREVAN, ARMENIA – The defence ministry said enemy forces had launched an attack "
                   "in the southern direction of the front on Sunday.")
    assert [e.event_type for e in reading.events] == ["Battles"]
    assert reading.events[0].place is None or reading.events[0].place.name != "Yerevan"


def test_a_verbless_clause_repeats_the_event_for_another_place_and_day(read):
    reading = read("date 2020-12-02 STEPANAKERT, AZERBAIJAN – The Kalbajar district, to the north, was handed over "
                   "on November 25, and the Aghdam district, in the east, on November 20.")
    assert sorted(_events(reading)) == [
        ("2020-11-20", "Strategic developments", "Aghdam"),
        ("2020-11-25", "Strategic developments", "Kalbajar")]
