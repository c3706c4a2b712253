"""Every served activity on a phone: it opens, reacts the way a trainee expects, draws Thai in
Sarabun, fits the screen, and asks nothing of the internet. Screenshots: _build/screenshots/."""

from __future__ import annotations

import urllib.request
from pathlib import Path

import pytest

from simulator.exercises.consent import APPROACHES
from simulator.workshop import phone
from simulator.workshop.activities import activity_notebooks, read_activity
from simulator.workshop.serve import app_url, lan_addresses

ROOT = Path(__file__).resolve().parents[2]
ACTIVITIES = activity_notebooks(ROOT / "activities")
TIMEOUT = 60_000


def select_with(page, first_option: str):
    return page.locator(f"select:has(option:text-is('{first_option}'))")


def open_activity(p, server, number: int, ready: str):
    button = phone.open_app(p.page, server.url + app_url(ACTIVITIES[number]), ready, timeout_ms=TIMEOUT)
    p.page.wait_for_load_state("networkidle")
    return button


def sign_in_as(page, button, name: str, pin: str = "2569") -> None:
    """Fill a platform activity's sign-in panel, press its button and wait until it says who signed in."""
    page.locator(".widget-text", has_text="ชื่อ-นามสกุล").locator("input").fill(name)
    page.locator("#rendered_cells input[type=password]").fill(pin)
    button.click()
    page.get_by_text(f"เข้าสู่ระบบแล้ว: {name}").wait_for(timeout=TIMEOUT)


def assert_fits_a_phone(p):
    assert p.horizontal_overflow() <= 1, "the page is wider than the phone's screen"
    small = p.page.evaluate(
        """() => [...document.querySelectorAll('#rendered_cells button, #rendered_cells select, '
                 + '#rendered_cells input[type=text], #rendered_cells textarea, #rendered_cells .widget-radio-box label')]
            .filter(e => e.offsetParent !== null)
            .filter(e => e.getBoundingClientRect().height < 44 || e.getBoundingClientRect().width < 44)
            .map(e => e.tagName + ' «' + (e.textContent || '').trim().slice(0, 30) + '» '
                 + Math.round(e.getBoundingClientRect().width) + 'x' + Math.round(e.getBoundingClientRect().height))"""
    )
    assert small == [], f"touch targets smaller than 44 px: {small}"
    wide = p.page.evaluate(
        """() => [...document.querySelectorAll('#rendered_cells img')]
            .filter(i => i.getBoundingClientRect().right > innerWidth + 1).map(i => i.alt || i.src.slice(0, 40))"""
    )
    assert wide == [], f"figures wider than the screen: {wide}"
    clipped = p.page.evaluate(
        """() => [...document.querySelectorAll('#rendered_cells .widget-html-content, #rendered_cells select, '
                 + '#rendered_cells button, #rendered_cells input, #rendered_cells textarea, #rendered_cells img')]
            .filter(e => e.offsetParent !== null).filter(e => {
                for (let a = e.parentElement; a && a !== document.body; a = a.parentElement) {
                    const o = getComputedStyle(a).overflowX;
                    if (o === 'hidden' || o === 'clip') {
                        const r = e.getBoundingClientRect(), c = a.getBoundingClientRect();
                        return r.right > c.right + 0.5 || r.left < c.left - 0.5;
                    }
                    if (o !== 'visible') return false;  // inside a box that scrolls: nothing is cut off
                }
                return false;
            }).map(e => e.tagName + ' «' + (e.textContent || '').trim().slice(0, 30) + '»')"""
    )
    assert clipped == [], f"cut off at the edge of their box: {clipped}"
    cut_short = p.page.evaluate(
        """() => [...document.querySelectorAll('#rendered_cells .widget-label, #rendered_cells .widget-label-basic')]
            .filter(e => e.offsetParent !== null && e.scrollWidth > e.clientWidth + 1)
            .map(e => (e.textContent || '').trim().slice(0, 40))"""
    )
    assert cut_short == [], f"labels cut short (ending in …) instead of wrapping: {cut_short}"
    tight = p.page.evaluate(
        """() => [...document.querySelectorAll('#rendered_cells h1, #rendered_cells h2, #rendered_cells h3')]
            .filter(h => parseFloat(getComputedStyle(h).lineHeight) < 1.4 * parseFloat(getComputedStyle(h).fontSize))
            .map(h => h.textContent.slice(0, 30))"""
    )
    assert tight == [], f"Thai headings whose wrapped lines would overlap: {tight}"


def assert_no_squeezed_cells(p):
    squeezed = p.page.evaluate("""() => [...document.querySelectorAll('#rendered_cells table th, #rendered_cells table td')]
        .filter(c => c.offsetParent !== null)
        .filter(c => c.getBoundingClientRect().height > 1.9 * parseFloat(getComputedStyle(c).lineHeight))
        .map(c => c.innerText.slice(0, 20))""")
    assert squeezed == [], f"table cells broken over lines instead of scrolling sideways: {squeezed[:5]}"


def assert_thai_in_sarabun(p, selector: str):
    fonts = phone.used_fonts(p.page, selector)
    assert fonts, f"no text drawn in {selector}"
    assert set(fonts) == {"Sarabun"}, f"{selector} drawn in {fonts}, not only Sarabun"


def assert_accessible(p):
    problems = p.axe_serious("#rendered_cells")
    assert problems == [], "serious accessibility problems: " + "; ".join(problems)


# ---- the index ----------------------------------------------------------------

@pytest.mark.parametrize("viewport", [phone.SMALL_PHONE, phone.PHONE], ids=["360px", "412px"])
def test_index_lists_every_activity_with_its_minutes(server, make_phone, viewport):
    p = make_phone(viewport)
    p.page.goto(server.url, wait_until="networkidle")
    assert p.page.evaluate("document.documentElement.lang") == "th"
    links = p.page.locator("ol.termtem-activities li")
    assert links.count() == len(ACTIVITIES)
    for number, path in ACTIVITIES.items():
        info = read_activity(path)
        item = p.page.locator("ol.termtem-activities li", has_text=f"กิจกรรม {number}: {info.title_th}")
        assert item.count() == 1
        assert f"รวม {info.total_minutes} นาที" in item.inner_text()
        assert item.locator("a").get_attribute("href") == app_url(path)
    assert p.page.evaluate("document.querySelector('img.termtem-qr').naturalWidth") > 100
    assert_thai_in_sarabun(p, "h1")
    assert p.horizontal_overflow() <= 1
    p.screenshot("index")
    p.assert_clean()
    problems = p.axe_serious()
    assert problems == [], "; ".join(problems)


def test_index_answers_on_the_local_network_address(server):
    addresses = lan_addresses()
    assert addresses, "no network address besides 127.0.0.1: the room's phones could not connect"
    for address in [*addresses, "127.0.0.1"]:
        with urllib.request.urlopen(f"http://{address}:{server.port}/", timeout=10) as answer:
            assert answer.status == 200
            assert "กิจกรรมชุดฝึกอบรมเติมเต็ม" in answer.read().decode("utf-8")
    # Compressed for the hotspot: Voila's scripts shrink from about 5 MB to under 2 MB per phone.
    request = urllib.request.Request(f"http://127.0.0.1:{server.port}/", headers={"Accept-Encoding": "gzip"})
    with urllib.request.urlopen(request, timeout=10) as answer:
        assert answer.headers.get("Content-Encoding") == "gzip"
    printed = "".join(server.lines)
    assert f"http://{addresses[0]}:{server.port}/" in printed
    assert "█" in printed  # the QR code drawn in the terminal


# ---- activity 3: petal analysis ---------------------------------------------------

PHONES = pytest.mark.parametrize("viewport", [phone.SMALL_PHONE, phone.PHONE], ids=["360px", "412px"])


@PHONES
def test_petal_app_gives_feedback_then_the_true_flower(server, make_phone, viewport):
    p = make_phone(viewport)
    check = open_activity(p, server, 3, "ตรวจคำตอบ")
    page = p.page
    assert page.evaluate("document.documentElement.lang") == "th"
    p.screenshot("03-first-state")
    assert_fits_a_phone(p)
    assert_thai_in_sarabun(p, "#rendered_cells .widget-html-content")

    check.click()
    error = page.get_by_text("ยังไม่ได้เลือกกลีบของบันทึกข้อ")
    error.wait_for(timeout=TIMEOUT)
    assert "ยังไม่ได้เลือกสีของกลีบ" in error.inner_text()

    notes = select_with(page, "— เลือกกลีบ —")
    colours = select_with(page, "— เลือกสี —")
    assert notes.count() >= 1 and colours.count() == 8
    for i in range(notes.count()):
        notes.nth(i).select_option(index=1)
    for i in range(colours.count()):
        colours.nth(i).select_option(label="เขียว (ปกติ)")
    select_with(page, "— เลือกระดับของกรณี —").select_option(index=1)
    check.click()
    page.get_by_text("ขั้นที่ 1: กลีบของบันทึก").wait_for(timeout=TIMEOUT)
    assert page.get_by_text("ยังไม่ได้เลือก").count() == 0
    marks = page.locator("#rendered_cells li", has_text="ถูก")
    assert marks.count() >= notes.count() + 8  # a mark for every note and every petal
    flower = page.locator("#rendered_cells img.termtem-picture").last
    flower.wait_for(timeout=TIMEOUT)
    page.wait_for_function("() => [...document.querySelectorAll('#rendered_cells img.termtem-picture')].some(i => i.naturalWidth > 200)",
                           timeout=TIMEOUT)
    p.screenshot("03-feedback")
    assert_fits_a_phone(p)

    first = page.locator("#rendered_cells .widget-html-content", has_text="ครอบครัว HH").first.inner_text()
    page.locator("button.jupyter-button", has_text="สุ่มครอบครัวใหม่").click()
    page.wait_for_function(
        "old => ![...document.querySelectorAll('.widget-html-content')].some(e => e.innerText === old)", arg=first,
        timeout=TIMEOUT)
    page.get_by_text("ขั้นที่ 1: กลีบของบันทึก").wait_for(state="detached", timeout=TIMEOUT)  # old feedback cleared
    assert_accessible(p)
    p.assert_clean()


# ---- activities 10 and 11: build a journey of services ----------------------------

@PHONES
@pytest.mark.parametrize("number", [10, 11])
def test_journey_app_builds_and_checks_a_plan(server, make_phone, number, viewport):
    p = make_phone(viewport)
    check = open_activity(p, server, number, "ตรวจแผน")
    page = p.page
    p.screenshot(f"{number}-first-state")
    assert_fits_a_phone(p)
    assert_thai_in_sarabun(p, "#rendered_cells .widget-html-content")
    steps = page.locator(".widget-select select")
    plan_map = page.locator("#rendered_cells img.termtem-picture").first

    before = steps.locator("option").count()
    map_before = plan_map.get_attribute("src")
    page.locator(".widget-dropdown", has_text="หน่วยงาน").locator("select").select_option(index=1)
    page.locator(".widget-dropdown", has_text="ผู้รับผิดชอบ").locator("select").select_option(index=1)
    page.locator(".widget-text", has_text="ข้อมูลที่ส่งต่อ").locator("input").fill("ใบส่งตัวถึงพยาบาล")
    page.locator(".widget-text", has_text="ระยะเวลา").locator("input").fill("14")
    page.locator("button.jupyter-button", has_text="เพิ่มขั้น").click()
    page.wait_for_function(
        "n => document.querySelector('.widget-select select').options.length > n", arg=before, timeout=TIMEOUT)
    page.wait_for_function("old => document.querySelector('#rendered_cells img.termtem-picture').src !== old", arg=map_before,
                           timeout=TIMEOUT)

    page.locator("button.jupyter-button", has_text="ใช้แผนตัวอย่าง").click()
    page.wait_for_function("() => [...document.querySelectorAll('.widget-textarea textarea')].every(t => t.value.trim())",
                           timeout=TIMEOUT)
    check.click()
    page.get_by_text("ชั้นที่สอง: เส้นทางที่เกิดขึ้นจริงในโปรแกรมจำลอง").wait_for(timeout=TIMEOUT)
    feedback = page.locator(".widget-html-content", has_text="แผนครบถ้วน").or_(
        page.locator(".widget-html-content", has_text="ยังต้องแก้"))
    assert feedback.count() >= 1
    page.wait_for_function("() => [...document.querySelectorAll('#rendered_cells img.termtem-picture')].filter(i => i.naturalWidth > 200).length >= 2",
                           timeout=TIMEOUT)
    p.screenshot(f"{number}-checked")
    assert_fits_a_phone(p)
    assert_accessible(p)
    p.assert_clean()


# ---- activity 12: ask the parent for consent ----------------------------------------

@PHONES
def test_consent_app_answers_and_locks_agreed_parts(server, make_phone, viewport):
    p = make_phone(viewport)
    talk = open_activity(p, server, 12, "คุยกับผู้ปกครอง")
    page = p.page
    p.screenshot("12-first-state")
    assert_fits_a_phone(p)
    assert_thai_in_sarabun(p, "#rendered_cells .widget-html-content")
    choices = select_with(page, "— เลือกวิธีอธิบาย —")
    assert choices.count() >= 1

    talk.click()
    page.get_by_text("ยังไม่ได้เลือกวิธีอธิบายเรื่อง").wait_for(timeout=TIMEOUT)

    # Listen first, then offer what makes the plan possible: how a trainee reaches consent.
    for tries, approach in enumerate(["listen", "support", "benefit", "listen", "support"], start=1):
        for i in range(choices.count()):
            if choices.nth(i).is_enabled():
                choices.nth(i).select_option(label=APPROACHES[approach])
        talk.click()
        status = page.get_by_text(f"ครั้งที่ {tries}:").or_(page.get_by_text(f"พูดคุย {tries} ครั้ง"))
        status.first.wait_for(timeout=TIMEOUT)
        # The status line arrives before the replies: wait for a reply to every part of the plan.
        page.wait_for_function(
            "n => [...document.querySelectorAll('.widget-html-content li')].filter(li => li.innerText.includes('ผู้ปกครอง: “')).length === n",
            arg=choices.count(), timeout=TIMEOUT)
        if page.get_by_text("ผู้ปกครองเห็นด้วยทุกเรื่อง").count():
            page.wait_for_function("b => b.disabled", arg=talk.element_handle(), timeout=TIMEOUT)
            break
    assert talk.is_disabled(), "the parent never agreed although the trainee listened, then offered support"
    assert all(choices.nth(i).is_disabled() for i in range(choices.count()))
    page.wait_for_function("() => [...document.querySelectorAll('#rendered_cells img.termtem-picture')].some(i => i.naturalWidth > 200)",
                           timeout=TIMEOUT)
    p.screenshot("12-agreed")
    assert_fits_a_phone(p)
    assert_accessible(p)
    p.assert_clean()


# ---- activity 6: sort a community's families and agree priorities --------------------

@PHONES
def test_priority_app_sorts_families_and_checks_priorities(server, make_phone, viewport):
    p = make_phone(viewport)
    sort = open_activity(p, server, 6, "ตรวจการจัดระดับ")
    page = p.page
    p.screenshot("06-first-state")
    assert_fits_a_phone(p)
    assert_thai_in_sarabun(p, "#rendered_cells .widget-html-content")
    levels = select_with(page, "— เลือกระดับ —")
    assert levels.count() == 8

    sort.click()
    page.get_by_text("ยังไม่ได้เลือกระดับของ").wait_for(timeout=TIMEOUT)
    for i in range(levels.count()):
        levels.nth(i).select_option(label="ซับซ้อน (complex)")
    sort.click()
    score = page.locator(".widget-html-content", has_text="จาก 8 ครอบครัว")
    score.first.wait_for(timeout=TIMEOUT)
    assert "✘" in score.first.inner_text() and "มีกลีบสีแดง" in score.first.inner_text()

    boxes = page.locator("#rendered_cells .widget-checkbox input[type=checkbox]")
    assert boxes.count() == 8
    for i in range(4):
        boxes.nth(i).check()
    page.locator("button.jupyter-button", has_text="ตรวจลำดับความสำคัญ").click()
    page.get_by_text("ชุมชนหนึ่งนำกรณีไปได้ไม่เกิน 3 กรณี").wait_for(timeout=TIMEOUT)
    assert page.get_by_text("ความจริงของโลกจำลอง").count() == 0
    p.screenshot("06-checked")
    assert_fits_a_phone(p)
    assert_accessible(p)
    p.assert_clean()


# ---- activity 13: the four levels and the dashboard explorer --------------------------

@PHONES
def test_levels_app_matches_decisions_and_explores_the_dashboards(server, make_phone, viewport):
    p = make_phone(viewport)
    check = open_activity(p, server, 13, "ตรวจคำตอบ")
    page = p.page
    p.screenshot("13-first-state")
    assert_fits_a_phone(p)
    assert_thai_in_sarabun(p, "#rendered_cells .widget-html-content")
    answers = select_with(page, "— เลือกระดับ —")
    assert answers.count() == 8
    check.click()
    page.get_by_text("ยังไม่ได้เลือกระดับของข้อ 1").wait_for(timeout=TIMEOUT)
    for i in range(answers.count()):
        answers.nth(i).select_option(label="ชุมชน")
    check.click()
    page.locator(".widget-html-content", has_text="จาก 8 ข้อ").first.wait_for(timeout=TIMEOUT)
    assert page.locator(".widget-html-content li", has_text="✘").count() >= 4

    # The explorer: choosing a zone redraws the headline, the figure and the table together.
    headline = page.locator(".widget-html-content h4").last
    assert "กรุงเทพมหานคร" in headline.inner_text()
    figure = page.locator("#rendered_cells img.termtem-picture").last
    before = figure.get_attribute("alt")
    zone = select_with(page, "ทุกกลุ่มเขต")
    zone.select_option(index=1)
    chosen = zone.locator("option:checked").inner_text()
    page.wait_for_function("z => [...document.querySelectorAll('.widget-html-content h4')].some(h => h.innerText.startsWith(z))",
                           arg=chosen, timeout=TIMEOUT)
    page.wait_for_function("old => [...document.querySelectorAll('#rendered_cells img.termtem-picture')].pop().alt !== old",
                           arg=before, timeout=TIMEOUT)
    assert chosen in figure.get_attribute("alt")
    districts = select_with(page, "ทุกเขต")
    page.wait_for_function("n => document.querySelectorAll('option').length > 0", arg=0, timeout=TIMEOUT)
    assert 1 < districts.locator("option").count() <= 11
    # The headline, the figure and the table arrive as separate updates: wait for the table too.
    page.wait_for_function(
        """n => { const t = [...document.querySelectorAll('#rendered_cells table.termtem-table')].pop();
                  return t && t.querySelectorAll('tbody tr').length === n; }""",
        arg=districts.locator("option").count() - 1, timeout=TIMEOUT)
    squeezed = page.evaluate("""() => [...document.querySelectorAll('table.termtem-numbers th, table.termtem-numbers td')]
        .filter(c => c.getBoundingClientRect().height > 1.9 * parseFloat(getComputedStyle(c).lineHeight))
        .map(c => c.innerText.slice(0, 20))""")
    assert squeezed == [], f"table cells broken over lines instead of scrolling sideways: {squeezed[:5]}"
    p.screenshot("13-explored")
    assert_fits_a_phone(p)
    assert_accessible(p)
    p.assert_clean()


# ---- the district guide: upstream/downstream, the dashboard questions, the plans -------

@PHONES
def test_district_app_sorts_streams_answers_a_question_and_checks_a_plan(server, make_phone, viewport):
    from simulator.workshop.activities import guide_notebooks
    from simulator.workshop.serve import guides_dir_of

    p = make_phone(viewport)
    guide = guide_notebooks(guides_dir_of(ROOT / "activities"))["district"]
    check_plan = phone.open_app(p.page, server.url + app_url(guide), "ตรวจร่างแผน", timeout_ms=TIMEOUT)
    page = p.page
    page.wait_for_load_state("networkidle")
    p.screenshot("district-first-state")
    assert_fits_a_phone(p)
    assert_thai_in_sarabun(p, "#rendered_cells .widget-html-content")

    streams = select_with(page, "— เลือก —")
    assert streams.count() >= 2
    page.locator("button.jupyter-button", has_text="ตรวจการจัดกลุ่ม").click()
    page.get_by_text("ยังไม่ได้เลือก").first.wait_for(timeout=TIMEOUT)
    for i in range(streams.count()):
        streams.nth(i).select_option(index=1)
    page.locator("button.jupyter-button", has_text="ตรวจการจัดกลุ่ม").click()
    page.get_by_text("ความจริงของโลกจำลอง").first.wait_for(timeout=TIMEOUT)

    # The risk-group question: choose a group, check, and the truth layer appears with its figure.
    group = select_with(page, "— เลือกกลุ่ม —")
    pictures_before = page.locator("#rendered_cells img.termtem-picture").count()
    group.select_option(index=1)
    box = page.locator(".widget-vbox", has=group).last
    box.locator("button.jupyter-button", has_text="ตรวจคำตอบ").click()
    page.wait_for_function("n => [...document.querySelectorAll('#rendered_cells img.termtem-picture')].filter(i => i.naturalWidth > 200).length > n",
                           arg=pictures_before - 1, timeout=TIMEOUT)
    page.locator(".widget-html-content", has_text="ถูกต้อง").or_(
        page.locator(".widget-html-content", has_text="ยังไม่ถูก")).first.wait_for(timeout=TIMEOUT)

    # The plan: the example rows from the findings, then the check names what is still missing.
    page.locator("button.jupyter-button", has_text="ใส่ตัวอย่างจากข้อค้นพบ").click()
    check_plan.click()
    page.locator(".widget-html-content", has_text="แผน 1 ปี แถวที่").first.wait_for(timeout=TIMEOUT)
    p.screenshot("district-checked")
    assert_fits_a_phone(p)
    assert_accessible(p)
    p.assert_clean()


# ---- activity 7: the same case with and without each provider notified ---------------

@PHONES
def test_notify_app_predicts_then_compares_a_provider_left_out(server, make_phone, viewport):
    p = make_phone(viewport)
    show = open_activity(p, server, 7, "ดูผล")
    page = p.page
    p.screenshot("07-first-state")
    assert_fits_a_phone(p)
    assert_thai_in_sarabun(p, "#rendered_cells .widget-html-content")
    page.locator("#rendered_cells table").first.wait_for(timeout=TIMEOUT)  # the family's records are on screen

    check = page.locator("button.jupyter-button", has_text="ตรวจคำตอบ")
    check.click()
    page.get_by_text("ยังไม่ได้เลือกคำตอบ").wait_for(timeout=TIMEOUT)
    select_with(page, "— เลือกผู้ให้บริการ —").select_option(index=1)
    check.click()
    page.get_by_text("ยังไม่ได้เลือกคำตอบ").wait_for(state="detached", timeout=TIMEOUT)  # replaced by the verdict

    boxes = page.locator("#rendered_cells .widget-checkbox input[type=checkbox]")
    assert boxes.count() >= 3 and all(boxes.nth(i).is_checked() for i in range(boxes.count()))
    boxes.nth(0).uncheck()
    show.click()
    page.get_by_text("ไม่ได้รับแจ้ง จึงไม่รู้ว่า").first.wait_for(timeout=TIMEOUT)
    page.locator("h4", has_text="ผลเมื่อสิ้นช่วงเวลาจำลอง").wait_for(timeout=TIMEOUT)
    page.wait_for_function("() => [...document.querySelectorAll('#rendered_cells img.termtem-picture')].some(i => i.naturalWidth > 200)",
                           timeout=TIMEOUT)
    p.screenshot("07-compared")
    assert_fits_a_phone(p)
    assert_accessible(p)
    p.assert_clean()


# ---- activity 4: register on the practice platform ------------------------------------

@PHONES
def test_register_app_names_each_wrong_field_then_registers(server, make_phone, viewport):
    p = make_phone(viewport)
    submit = open_activity(p, server, 4, "ลงทะเบียน")
    page = p.page
    p.screenshot("04-first-state")
    assert_fits_a_phone(p)
    assert_thai_in_sarabun(p, "#rendered_cells .widget-html-content")

    submit.click()
    page.get_by_text("ยังลงทะเบียนไม่ได้").wait_for(timeout=TIMEOUT)
    for text in ("ชื่อ-นามสกุล: กรุณากรอกชื่อและนามสกุล", "เบอร์โทรศัพท์มือถือ: กรุณากรอก", "บทบาท: กรุณาเลือกบทบาท"):
        assert page.get_by_text(text).count() == 1, text

    name = f"ทดสอบ หน้าจอ{viewport['width']}"
    page.locator(".widget-text", has_text="ชื่อ-นามสกุล").locator("input").fill(name)
    page.locator(".widget-text", has_text="เบอร์โทรศัพท์มือถือ").locator("input").fill("12-345")
    select_with(page, "— เลือกบทบาท —").select_option(label="อาสาสมัคร (จิตอาสา)")
    district = select_with(page, "— เลือกเขต —")
    district.select_option(index=1)
    community = select_with(page, "— เลือกชุมชน —")
    page.wait_for_function("s => s.options.length > 1", arg=community.element_handle(), timeout=TIMEOUT)
    community.select_option(index=1)
    page.locator("#rendered_cells input[type=password]").fill("2569")
    submit.click()
    page.get_by_text("ต้องเป็นตัวเลข 10 หลัก").wait_for(timeout=TIMEOUT)
    page.locator(".widget-text", has_text="เบอร์โทรศัพท์มือถือ").locator("input").fill(f"081-234-{viewport['width']:04d}")
    submit.click()
    page.get_by_text(f"✔ ลงทะเบียนแล้ว: {name}").wait_for(timeout=TIMEOUT)
    page.wait_for_function("b => b.disabled", arg=submit.element_handle(), timeout=TIMEOUT)
    p.screenshot("04-registered")
    assert_fits_a_phone(p)
    assert_accessible(p)
    p.assert_clean()


# ---- activity 5: sign in and record a home visit ----------------------------------------

@PHONES
def test_record_app_signs_in_and_a_record_reaches_the_dashboard(server, make_phone, viewport):
    import os

    from simulator.platform.practice import open_practice, places
    from simulator.platform.service import register

    room = open_practice(os.environ["TERMTEM_WORKSHOP_DIR"])
    district = next(iter(places(room)))
    name = f"อาสา บันทึก{viewport['width']}"
    register(room, name, f"089-555-{viewport['width']:04d}", "volunteer", district, places(room)[district][0], "2569")

    p = make_phone(viewport)
    sign_in = open_activity(p, server, 5, "เข้าสู่ระบบ")
    page = p.page
    p.screenshot("05-first-state")
    assert_fits_a_phone(p)
    assert_thai_in_sarabun(p, "#rendered_cells .widget-html-content")
    page.locator(".widget-text", has_text="ชื่อ-นามสกุล").locator("input").fill(name)
    page.locator("#rendered_cells input[type=password]").fill("1234")
    sign_in.click()
    page.get_by_text("ชื่อหรือรหัส PIN ไม่ถูกต้อง").wait_for(timeout=TIMEOUT)
    sign_in_as(page, sign_in, name)

    select_with(page, "— เลือกครอบครัว —").select_option(index=1)
    page.locator("h4", has_text="แถวของครอบครัวนี้บนแดชบอร์ดชุมชน").wait_for(timeout=TIMEOUT)
    select_with(page, "— เลือกสิ่งที่พบ —").select_option(label="เด็ก · สังคม: ถูกทำร้ายร่างกาย")
    page.locator(".widget-textarea textarea").fill("มีรอยช้ำที่แขน")
    page.locator("button.jupyter-button", has_text="บันทึก").click()
    page.get_by_text("✔ บันทึกแล้ว: เด็ก · สังคม: ถูกทำร้ายร่างกาย").wait_for(timeout=TIMEOUT)
    page.locator("#rendered_cells table.termtem-numbers td", has_text="ฉุกเฉิน").wait_for(timeout=TIMEOUT)
    page.wait_for_function("() => [...document.querySelectorAll('#rendered_cells img.termtem-picture')].some(i => i.naturalWidth > 200)",
                           timeout=TIMEOUT)
    p.screenshot("05-recorded")
    assert_fits_a_phone(p)
    assert_accessible(p)
    p.assert_clean()


# ---- activity 9: notify, acknowledge, and the status comes back ------------------------

@PHONES
def test_notify_app_a_volunteer_notifies_a_provider_acknowledges_and_the_status_comes_back(server, make_phone, viewport):
    import os

    from simulator.platform.access import families, inbox
    from simulator.platform.practice import open_practice, places
    from simulator.platform.service import register, sign_in

    room = open_practice(os.environ["TERMTEM_WORKSHOP_DIR"])
    district = list(places(room))[0]
    width = viewport["width"]
    volunteer, teacher = f"อาสา แจ้งเรื่อง{width}", f"ครู รับเรื่อง{width}"
    register(room, volunteer, f"086-111-{width:04d}", "volunteer", district, places(room)[district][1], "2569")
    register(room, teacher, f"086-222-{width:04d}", "provider_education", district, None, "2569")
    me = sign_in(room, volunteer, "2569")
    seen = families(me)
    fresh = ~seen.family_id.isin(inbox(me).family_id)  # not notified by an earlier run on another width
    family = seen[fresh & ((seen["child_education"] != "green") | (seen["parent_education"] != "green"))].family_id.iloc[0]

    def signed_in(name):
        p = make_phone(viewport)
        sign_in_as(p.page, open_activity(p, server, 9, "เข้าสู่ระบบ"), name)
        return p

    sender = signed_in(volunteer)
    page = sender.page
    assert_fits_a_phone(sender)
    assert_thai_in_sarabun(sender, "#rendered_cells .widget-html-content")
    families_offered = select_with(page, "— เลือกครอบครัว —")
    labels = families_offered.locator("option").all_inner_texts()
    families_offered.select_option(index=next(i for i, text in enumerate(labels) if text.startswith(family)))
    page.locator("button.jupyter-button", has_text="แจ้งผู้ให้บริการ").click()
    page.get_by_text("✔ แจ้งแล้ว").wait_for(timeout=TIMEOUT)
    page.locator("#rendered_cells table td", has_text="รอรับเรื่อง").first.wait_for(timeout=TIMEOUT)

    provider = signed_in(teacher)
    ppage = provider.page
    choice = select_with(ppage, "— เลือกเรื่องที่แจ้งมา —")
    ppage.wait_for_function("s => s.options.length > 1", arg=choice.element_handle(), timeout=TIMEOUT)
    offered = choice.locator("option").all_inner_texts()
    matching = [i for i, text in enumerate(offered) if family in text]
    assert matching, (family, offered)
    choice.select_option(index=matching[0])
    ppage.locator("button.jupyter-button", has_text="รับเรื่อง").click()
    ppage.get_by_text("แล้ว ผู้แจ้งเห็นสถานะนี้ทันที").wait_for(timeout=TIMEOUT)
    ppage.get_by_text("แดชบอร์ดผู้ให้บริการ (Dashboard) มิติการศึกษา").wait_for(timeout=TIMEOUT)
    ppage.locator(".widget-textarea textarea").fill("นัดเยี่ยมบ้านพร้อมอาสาสมัครวันพฤหัสนี้")
    ppage.locator("button.jupyter-button", has_text="ส่งคำตอบ").click()
    ppage.get_by_text("✔ ส่งคำตอบ").wait_for(timeout=TIMEOUT)
    provider.screenshot("09-provider")
    assert_no_squeezed_cells(provider)
    assert_fits_a_phone(provider)
    provider.assert_clean()

    page.locator("button.jupyter-button", has_text="ดูสถานะล่าสุด").click()
    # The row of this family's notification: who acknowledged it and what they answered.
    row = page.locator("#rendered_cells table tr", has_text=family).filter(has_text=teacher)
    row.first.wait_for(timeout=TIMEOUT)
    assert "ตอบกลับแล้ว" in row.first.inner_text() and "นัดเยี่ยมบ้านพร้อมอาสาสมัครวันพฤหัสนี้" in row.first.inner_text()
    sender.screenshot("09-status-back")
    assert_no_squeezed_cells(sender)
    assert_fits_a_phone(sender)
    assert_accessible(sender)
    sender.assert_clean()


# ---- activity 1: join the room; the trainer's screen shows who is here ------------------

@PHONES
def test_join_app_names_each_wrong_field_gives_a_code_and_the_room_screen_shows_the_person(server, make_phone,
                                                                                           viewport):
    import os

    from simulator.platform import room as platform_room
    from simulator.platform.practice import open_practice

    width = viewport["width"]
    p = make_phone(viewport)
    join = open_activity(p, server, 1, "ลงชื่อเข้าห้อง")
    page = p.page
    p.screenshot("01-first-state")
    assert_fits_a_phone(p)
    assert_thai_in_sarabun(p, "#rendered_cells .widget-html-content")
    join.click()
    page.get_by_text("ยังลงชื่อไม่ได้").wait_for(timeout=TIMEOUT)
    for text in ("ชื่อ: กรุณากรอกชื่อ", "บทบาท: กรุณาเลือกบทบาท"):
        assert page.get_by_text(text).count() == 1, text

    name = f"ป้าศรี จอ{width}"
    page.locator(".widget-text", has_text="ชื่อ").first.locator("input").fill(name)
    select_with(page, "— เลือกบทบาท —").select_option(label="อาสาสมัครสาธารณสุข (อสส.)")
    select_with(page, "— เลือกเขตที่ทำงาน —").select_option(label="เขตบางนา")
    join.click()
    page.get_by_text("ชุมชน: กรุณากรอกชื่อชุมชนที่ทำงาน").wait_for(timeout=TIMEOUT)
    page.locator(".widget-text", has_text="ชุมชน").locator("input").fill("ชุมชนริมคลอง")
    join.click()
    page.get_by_text("ลงชื่อแล้ว รหัสของคุณคือ").wait_for(timeout=TIMEOUT)
    code = page.locator(".termtem-code").inner_text().strip()
    assert code.startswith("P") and code[1:].isdigit(), code
    page.wait_for_function("b => b.disabled", arg=join.element_handle(), timeout=TIMEOUT)

    page.locator("button.jupyter-button", has_text="อัปเดตภาพรวมของห้อง").click()
    page.locator("#rendered_cells table td", has_text=name).first.wait_for(timeout=TIMEOUT)  # roster (and group)
    joined = len(platform_room.participants(open_practice(os.environ["TERMTEM_WORKSHOP_DIR"])))
    page.get_by_text(f"ลงชื่อแล้ว {joined} คน").wait_for(timeout=TIMEOUT)
    page.wait_for_function("() => [...document.querySelectorAll('#rendered_cells img.termtem-picture')]"
                           ".some(i => i.naturalWidth > 200 && i.alt.length > 10)", timeout=TIMEOUT)
    p.screenshot("01-room")
    assert_no_squeezed_cells(p)
    assert_fits_a_phone(p)
    assert_accessible(p)
    p.assert_clean()


# ---- activity 2: the check-in under one's code; the room's answers on the trainer's screen ----

@PHONES
def test_checkin_app_stores_the_survey_and_pre_test_and_keeps_the_post_test_for_workshop_2(server, make_phone,
                                                                                          viewport):
    import os

    from simulator.platform import room as platform_room
    from simulator.platform.practice import open_practice

    width = viewport["width"]
    practice = open_practice(os.environ["TERMTEM_WORKSHOP_DIR"])
    code = platform_room.join_room(practice, f"ครูเอ เช็คอิน{width}", "provider_education", "บางนา").code
    before = platform_room.room_size(practice)

    p = make_phone(viewport)
    start = open_activity(p, server, 2, "เริ่มทำ")
    page = p.page
    p.screenshot("02-first-state")
    assert_fits_a_phone(p)
    assert_thai_in_sarabun(p, "#rendered_cells .widget-html-content")
    codes = page.locator(".widget-text", has_text="รหัสผู้เข้าร่วม").locator("input")
    codes.first.fill("P99")
    start.click()
    page.get_by_text("ไม่พบรหัส P99 ในห้องนี้").wait_for(timeout=TIMEOUT)
    codes.first.fill(code.lower())
    start.click()
    page.get_by_text(f"สวัสดี ครูเอ เช็คอิน{width} ({code})").first.wait_for(timeout=TIMEOUT)

    page.locator("button.jupyter-button", has_text="ส่งคำตอบ").first.wait_for(timeout=TIMEOUT)
    send_survey = page.locator("button.jupyter-button", has_text="ส่งคำตอบ").first
    send_survey.click()
    page.get_by_text("ยังไม่ได้ตอบข้อ 1,").wait_for(timeout=TIMEOUT)
    scales = select_with(page, "— เลือกคำตอบ —")
    for k in range(scales.count()):
        scales.nth(k).select_option(index=4)
    send_survey.click()
    page.get_by_text(f"บันทึกคำตอบของ {code} แล้ว").wait_for(timeout=TIMEOUT)

    questions = page.locator(".widget-radio-box")
    for k in range(questions.count()):
        questions.nth(k).locator("label").first.click()
    # A wrapped option must grow its line, not spill over the next option.
    overflowing = page.evaluate("""() => [...document.querySelectorAll('#rendered_cells .widget-radio-box label')]
        .filter(label => label.scrollHeight > label.clientHeight + 1).map(label => label.innerText.slice(0, 30))""")
    assert overflowing == [], f"options whose text spills over the next one: {overflowing}"
    page.locator("button.jupyter-button", has_text="ส่งคำตอบและดูคะแนน").first.click()
    page.get_by_text("จาก 10 ข้อ").first.wait_for(timeout=TIMEOUT)
    page.get_by_text("ดูคำอธิบายใต้แต่ละข้อ").wait_for(timeout=TIMEOUT)
    after = platform_room.room_size(practice)
    assert (after["survey"], after["pre"]) == (before["survey"] + 1, before["pre"] + 1)
    p.screenshot("02-answered")

    page.locator("button.jupyter-button", has_text="อัปเดตภาพรวมของห้อง").click()
    page.get_by_text(f"ตอบแบบสอบถาม {after['survey']} คน").wait_for(timeout=TIMEOUT)
    page.wait_for_function("() => [...document.querySelectorAll('#rendered_cells img.termtem-picture')]"
                           ".filter(i => i.naturalWidth > 200).length >= 2", timeout=TIMEOUT)

    # The post-test (workshop 2) with the same code, on the same day: refused, saying when it opens.
    codes.last.fill(code)
    page.locator("button.jupyter-button", has_text="เริ่มทำ").last.click()
    page.get_by_text(f"สวัสดี ครูเอ เช็คอิน{width} ({code})").last.wait_for(timeout=TIMEOUT)
    page.locator("button.jupyter-button", has_text="ส่งคำตอบและดูคะแนน").last.wait_for(timeout=TIMEOUT)
    both = page.locator(".widget-radio-box").count()  # the pre-test's questions, then the post-test's
    for k in range(both // 2, both):
        questions.nth(k).locator("label").first.click()
    page.locator("button.jupyter-button", has_text="ส่งคำตอบและดูคะแนน").last.click()
    page.get_by_text(f"รหัส {code} ทำแบบทดสอบก่อนอบรมเมื่อ").wait_for(timeout=TIMEOUT)
    assert "แบบทดสอบหลังอบรมเปิดให้ทำตั้งแต่" in page.get_by_text(f"รหัส {code} ทำแบบทดสอบก่อนอบรมเมื่อ").inner_text()
    assert platform_room.room_size(practice)["post"] == before["post"]
    p.screenshot("02-post-test-refused")
    assert_no_squeezed_cells(p)
    assert_fits_a_phone(p)
    assert_accessible(p)
    p.assert_clean()


# ---- activity 8: the same question on a family of the trainee's own community ------------

@PHONES
def test_own_case_app_a_volunteer_chooses_a_family_and_compares_a_provider_left_out(server, make_phone, viewport):
    import os

    from simulator.platform.own_case import worked_example
    from simulator.platform.practice import open_practice
    from simulator.platform.service import register

    room = open_practice(os.environ["TERMTEM_WORKSHOP_DIR"])
    viewer, family = worked_example(room)  # a family of this community with three problem dimensions
    name = f"อาสา เคสชุมชน{viewport['width']}"
    register(room, name, f"087-333-{viewport['width']:04d}", "volunteer", viewer.district_th, viewer.community_th,
             "2569")

    p = make_phone(viewport)
    sign_in = open_activity(p, server, 8, "เข้าสู่ระบบ")
    page = p.page
    p.screenshot("08-first-state")
    assert_fits_a_phone(p)
    assert_thai_in_sarabun(p, "#rendered_cells .widget-html-content")
    sign_in_as(page, sign_in, name)

    show_path = page.locator("button.jupyter-button", has_text="ดูเส้นทางของครอบครัวนี้")
    show_path.click()
    page.get_by_text("ยังไม่ได้เลือกครอบครัว").wait_for(timeout=TIMEOUT)
    offered = select_with(page, "— เลือกครอบครัว —")
    labels = offered.locator("option").all_inner_texts()
    offered.select_option(index=next(i for i, text in enumerate(labels) if family in text))
    show_path.click()
    page.get_by_text(f"✔ ครอบครัว {family}").wait_for(timeout=TIMEOUT)
    page.wait_for_function("() => [...document.querySelectorAll('#rendered_cells img.termtem-picture')].some(i => i.naturalWidth > 200)",
                           timeout=TIMEOUT)  # the family's flower
    p.screenshot("08-family")

    boxes = page.locator("#rendered_cells .widget-checkbox input[type=checkbox]")
    assert boxes.count() >= 3 and all(boxes.nth(i).is_checked() for i in range(boxes.count()))
    boxes.nth(0).uncheck()
    page.locator("button.jupyter-button", has_text="ดูผล").click()
    page.get_by_text("ไม่ได้รับแจ้ง จึงไม่รู้ว่า").first.wait_for(timeout=TIMEOUT)
    page.locator("h4", has_text="ผลเมื่อสิ้นช่วงเวลาจำลอง").wait_for(timeout=TIMEOUT)
    page.wait_for_function("() => document.querySelectorAll('#rendered_cells img.termtem-picture').length >= 2",
                           timeout=TIMEOUT)  # the flower and the comparison
    p.screenshot("08-compared")
    assert_no_squeezed_cells(p)
    assert_fits_a_phone(p)
    assert_accessible(p)
    p.assert_clean()
