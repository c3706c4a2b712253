"""Every Thai word the kit shows for a code: one place to read and correct them.

Codes (``social``, ``red``, ``consent_signed`` ...) stay English in data and code;
trainees and trainers only ever see the Thai labels below.
"""

from __future__ import annotations

SYNTHETIC_MARK = "ข้อมูลสมมติ"
CASE_LEVEL_TH = {"none": "ไม่มีภาวะคุกคาม", "routine": "ปกติ", "complex": "ซับซ้อน", "emergency": "ฉุกเฉิน"}
COLOUR_TH = {"green": "เขียว", "yellow": "เหลือง", "red": "แดง"}
DIMENSION_TH = {"social": "สังคม", "education": "การศึกษา", "health": "สุขภาพ", "governance": "การปกครอง"}
SUBJECT_TH = {"child": "เด็ก", "parent": "ผู้ปกครอง"}
STAGE_TH = {
    "referral": "ส่งต่อ/แจ้งเรื่อง", "plan": "วางแผน", "consent": "ยินยอม", "legal": "คุ้มครองตามกฎหมาย",
    "in_service": "รับบริการ", "goals_met": "บรรลุเป้าหมาย",
}
EVENT_TH = {
    "onset": "เริ่มมีปัญหา", "noticed": "พบปัญหาครั้งแรก", "notified": "แจ้งผู้ให้บริการ",
    "acknowledged": "ผู้ให้บริการรับเรื่อง", "plan_meeting": "ประชุมวางแผน", "goal_set": "ตั้งเป้าหมาย",
    "explained": "อธิบายแผนให้ผู้ปกครอง", "agreed": "ผู้ปกครองเห็นด้วย", "disagreed": "ผู้ปกครองไม่เห็นด้วย",
    "agreed_but_unable": "เห็นด้วยแต่ทำไม่ได้", "plan_revised": "ปรับแผน", "consent_signed": "ลงนามยินยอม",
    "refused": "ปฏิเสธแผน", "director_review": "ผู้อำนวยการเขตพิจารณา", "separated": "แยกเด็กไปบ้านพักชั่วคราว",
    "service_started": "เริ่มรับบริการ", "appointment_attended": "มาตามนัด", "appointment_missed": "ไม่มาตามนัด",
    "accompanied_visit": "อาสาสมัครพาไปรับบริการ", "goal_not_met": "ยังไม่บรรลุเป้าหมาย", "goal_met": "บรรลุเป้าหมาย",
}
UNABLE_REASONS_TH = ("ไม่มีงานทำ", "ไม่มีรายได้พอจะพาลูกไปตามนัด", "ต้องพึ่งรายได้จากการทำงานของลูก")
OUTCOME_TH = {
    "not_noticed": "ยังไม่มีใครพบปัญหา", "awaiting_plan": "รอวางแผน", "awaiting_consent": "รอความยินยอม",
    "unable": "ผู้ปกครองเห็นด้วยแต่ทำไม่ได้", "refused": "ผู้ปกครองปฏิเสธ", "separated": "แยกเด็กไปบ้านพักชั่วคราว",
    "in_service": "กำลังรับบริการ", "partly_met": "บรรลุเป้าหมายบางมิติ", "goals_met": "บรรลุเป้าหมายทุกมิติ",
}
RELATION_TH = {
    "mother": "แม่", "father": "พ่อ", "grandmother": "ย่า/ยาย", "grandfather": "ปู่/ตา",
    "other_relative": "ญาติ", "child": "ลูก/หลาน", "unborn": "ทารกในครรภ์",
}
RESPONSE_TH = {"agree": "เห็นด้วย", "disagree": "ไม่เห็นด้วย", "unable": "เห็นด้วยแต่ทำไม่ได้"}
DIFFICULTY_TH = {
    "clear": "ง่าย: ข้อมูลชัดเจน",
    "mixed": "ปานกลาง: ต้องรวมข้อมูลหลายแหล่ง",
    "ambiguous": "ยาก: ข้อมูลคลุมเครือ",
}
LANE_TH = {
    "family": "ผู้ปกครองและเด็ก", "volunteer": "อาสาสมัคร/อสส.",
    "social": f"ผู้ให้บริการ{DIMENSION_TH['social']}", "education": f"ผู้ให้บริการ{DIMENSION_TH['education']}",
    "health": f"ผู้ให้บริการ{DIMENSION_TH['health']}", "governance": f"ผู้ให้บริการ{DIMENSION_TH['governance']}",
    "district": "เขต (ผู้อำนวยการเขต)",
}
ROLE_TH = {"caregiver": "ผู้ดูแล", "child": "เด็ก"}
SEX_TH = {"male": "ชาย", "female": "หญิง", "unknown": "ไม่ทราบ"}
YES_NO_TH = {True: "ใช่", False: "ไม่ใช่"}
# Actors of case events that are not a role of goals.yaml (whose Thai names live there).
ACTOR_TH = {"family": "ครอบครัว"}
TABLE_TH = {
    "households": "ครัวเรือน", "people": "บุคคล", "indicators": "ตัวชี้วัดที่มีอยู่จริง", "observations": "การสังเกต",
    "strengths": "จุดแข็ง", "petals": "กลีบดอก", "events": "เหตุการณ์", "cases": "กรณี", "touch_points": "จุดสัมผัส",
    "petals_after_service": "กลีบดอกหลังรับบริการ",
}
# The truth behind a petal (activity 3), one lesson per kind of gap between the records on
# screen and what the simulator knows. {label}: the indicator; {checker}: the provider of its
# dimension; {providers}: who recorded it; {colour}: its default colour.
GAP_LESSON_TH = {
    "confirmed": "«{label}» อาสาสมัครเห็นและเป็นเรื่องจริง: การสังเกตในชุมชนใช้ได้ผล",
    "false_alarm": ("«{label}» ตรวจสอบกับ{checker}แล้ว: ไม่พบ (รายงานเกิน) "
                    "การส่งเรื่องให้ผู้ให้บริการตรวจสอบเป็นสิ่งที่ถูกต้อง (เรื่องสีแดงต้องแจ้งทันทีเสมอ) "
                    "แต่ควรยืนยันกับผู้ให้บริการก่อนสรุปกับครอบครัว และพูดโดยไม่ตัดสินครอบครัว"),
    "provider_only": ("«{label}» {providers}รู้เรื่องนี้ แต่ไม่มีใครบอกอาสาสมัคร: "
                      "ถ้าไม่เทียบบันทึกของผู้ให้บริการ 4 มิติ กลีบนี้จะดูเบากว่าความจริง"),
    "unrecorded": ("«{label}» (สี{colour}) มีอยู่จริงแต่ยังไม่มีใครบันทึก: ดูจากบันทึกบนจอไม่ได้ "
                   "จะรู้ได้เมื่อผู้ให้บริการกับอาสาสมัครคุยกัน หรือเยี่ยมบ้านซ้ำ"),
    "nothing": "ไม่มีภาวะคุกคามจริงในกลีบนี้",
}
