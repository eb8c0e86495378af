"""Small articles the dashboard tests ingest: three ordinary reports and one carrying markup."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

ARTICLES = {
    "shushi.txt": """source: Test Wire
title: Fighting reported in Shushi
date 2020-11-08 BAKU, AZERBAIJAN – Azerbaijani forces clashed with Armenian troops in Shushi on Sunday, \
the Azerbaijani Defence Ministry said. The ministry said four tanks were destroyed in the fighting near Shushi.
""",
    "ganja.txt": """source: Caucasus Daily
title: Missile strike on Ganja
date 2020-10-04 YEREVAN, ARMENIA – Missile strikes hit Ganja on Sunday, killing two civilians, the Armenian \
Defence Ministry said. Azerbaijan denied shelling the city.
""",
    "idlib.txt": """source: Levant Test
title: Air strike near Idlib
date 2020-02-27 BEIRUT, LEBANON – Russian warplanes carried out air strikes on Idlib on Thursday, killing five \
people, the Syrian Observatory for Human Rights said.
""",
    "hostile.txt": """source: Hostile Feed
title: Markup in a report
date 2020-10-12 YEREVAN, ARMENIA – Drone strikes hit Martuni on Monday <script>alert(1)</script> and an observer \
wrote <img src=x onerror=alert(1)> in a report, the Armenian Defence Ministry said.
""",
}
