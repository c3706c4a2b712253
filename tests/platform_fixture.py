"""A small workshop on the practice platform, every row countable by hand.

Two districts, two communities each (ชุมชนริมคลอง is in both: the same name in two districts):

======== ============== =============================================== ===================
family   where          recorded (1-3 Jun 2025)                         notified (4 Jun)
======== ============== =============================================== ===================
HH0000001 บางนา ริมคลอง  child health yellow, parent education yellow   health, education
HH0000002 บางนา ริมคลอง  child social red                               social
HH0000003 บางนา หลังวัด  child education yellow                         education
HH0000004 บางนา หลังวัด  nothing                                        -
HH0000005 ลาดกระบัง ริมคลอง child health yellow                          health
HH0000006 ลาดกระบัง ริมคลอง child governance yellow                      governance
HH0000007 ลาดกระบัง ทุ่งนา  child social yellow, parent health yellow     social, health
HH0000008 ลาดกระบัง ทุ่งนา  child education green (frequent absence)     - (nothing to notify)
======== ============== =============================================== ===================

Every community has a volunteer, a community leader and an อสส.; every district one provider
of each dimension and one district staff member; there is one committee member. On 5 Jun the
health provider of บางนา acknowledges HH0000001's health notification and replies to it, and
the social provider of ลาดกระบัง replies to HH0000007's social one; a plan goal in health is
set for HH0000001 and one in social for HH0000007.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from simulator.platform import service as sv
from simulator.platform.db import Platform, open_platform
from simulator.platform.settings import PlatformSettings, load_platform_settings

DISTRICTS = {"บางนา": ("ชุมชนริมคลอง", "ชุมชนหลังวัด"), "ลาดกระบัง": ("ชุมชนริมคลอง", "ชุมชนทุ่งนา")}
COMMUNITY_ROLES = ("volunteer", "community_leader", "phv")
PROVIDERS = {"social": "provider_social", "education": "provider_education", "health": "provider_health",
             "governance": "provider_governance"}
OBSERVED = {
    1: ["developmental_delay", "no_income"], 2: ["physical_abuse"], 3: ["learning_difficulty"], 4: [],
    5: ["malnutrition"], 6: ["no_birth_registration"], 7: ["neglect", "parent_depression"], 8: ["frequent_absence"],
}
WHERE = {1: ("บางนา", "ชุมชนริมคลอง"), 2: ("บางนา", "ชุมชนริมคลอง"), 3: ("บางนา", "ชุมชนหลังวัด"),
         4: ("บางนา", "ชุมชนหลังวัด"), 5: ("ลาดกระบัง", "ชุมชนริมคลอง"), 6: ("ลาดกระบัง", "ชุมชนริมคลอง"),
         7: ("ลาดกระบัง", "ชุมชนทุ่งนา"), 8: ("ลาดกระบัง", "ชุมชนทุ่งนา")}
NOTIFIED = {1: ["education", "health"], 2: ["social"], 3: ["education"], 5: ["health"], 6: ["governance"],
            7: ["social", "health"]}
PIN = "2468"


def fast_settings() -> PlatformSettings:
    """The kit's settings with the cheapest argon2 cost argon2 allows in tests' many registrations."""
    base = load_platform_settings()
    return PlatformSettings.model_validate({**base.model_dump(), "argon2": {"time_cost": 1, "memory_kib": 8192,
                                                                          "parallelism": 1}})


@dataclass
class World:
    platform: Platform
    users: dict[str, sv.User]


def user_key(role: str, district: str | None = None, community: str | None = None) -> str:
    return "/".join(x for x in (role, district, community) if x)


def code(n: int) -> str:
    return f"HH{n:07d}"


def build_world(url: str, settings: PlatformSettings | None = None) -> World:
    p = open_platform(url, settings=settings or fast_settings())
    users: dict[str, sv.User] = {}
    n = 0
    for district, communities in DISTRICTS.items():
        sv.add_district(p, district)
        for community in communities:
            sv.add_community(p, district, community)
    for district, communities in DISTRICTS.items():
        for community in communities:
            for role in COMMUNITY_ROLES:
                n += 1
                users[user_key(role, district, community)] = sv.register(
                    p, f"ผู้เข้าร่วม {n:02d} {role}", f"081000{n:04d}", role, district, community, PIN)
        for role in [*PROVIDERS.values(), "district_staff"]:
            n += 1
            users[user_key(role, district)] = sv.register(p, f"ผู้เข้าร่วม {n:02d} {role}", f"081000{n:04d}", role,
                                                          district, None, PIN)
    users["committee"] = sv.register(p, "ผู้เข้าร่วม กรรมการ", "0899999999", "committee", None, None, PIN)
    for fid, (district, community) in WHERE.items():
        volunteer = users[user_key("volunteer", district, community)]
        made = sv.add_family(volunteer, f"ครอบครัวทดสอบ {fid}", "two_parents",
                             [("female", dt.date(2016, 3, 1)), ("male", dt.date(2020 + fid % 3, 7, 15))])
        assert made == code(fid)
        for k, indicator in enumerate(OBSERVED[fid]):
            sv.record_observation(volunteer, made, indicator, f"บันทึกทดสอบ {indicator}", on=dt.date(2025, 6, 1 + k))
        if fid in NOTIFIED:
            sv.notify(volunteer, made, on=dt.date(2025, 6, 4))
    health_bn = users[user_key("provider_health", "บางนา")]
    health_note = int(sv.inbox(health_bn).query("family_id == 'HH0000001'")["notification_id"].iloc[0])
    sv.acknowledge(health_bn, health_note, on=dt.date(2025, 6, 5))
    sv.reply(health_bn, health_note, "นัดตรวจพัฒนาการวันที่ 10 มิ.ย.", on=dt.date(2025, 6, 5))
    social_lk = users[user_key("provider_social", "ลาดกระบัง")]
    social_note = int(sv.inbox(social_lk).query("family_id == 'HH0000007'")["notification_id"].iloc[0])
    sv.reply(social_lk, social_note, "นักสังคมสงเคราะห์จะเยี่ยมบ้าน", on=dt.date(2025, 6, 5))
    sv.add_plan_goal(users[user_key("volunteer", "บางนา", "ชุมชนริมคลอง")], code(1), "health",
                     "เด็กได้รับการกระตุ้นพัฒนาการ", on=dt.date(2025, 6, 6))
    sv.add_plan_goal(social_lk, code(7), "social", "ผู้ปกครองดูแลเด็กได้เหมาะสม", on=dt.date(2025, 6, 6))
    return World(platform=p, users=users)
