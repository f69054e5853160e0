// Qt Quick Test for the reusable components of desktop-qml/qml/components: the formatting rules
// (cost, tokens, latency), badges, the stat card, the chart, the step bar, the confirm dialog, the
// segmented control and the model helpers. Every component must take undefined values without a
// JS error, since Backend's maps and models may lack keys.
import QtQuick
import QtQuick.Controls
import QtTest
import AgentGate.Ui

Item {
    id: root
    width: 900
    height: 700

    Fmt { id: fmt }
    Catalog { id: catalog }

    Component { id: badgeComponent; Badge { } }
    Component { id: statComponent; StatCard { width: 240 } }
    Component { id: chartComponent; Chart { width: 600; height: 220 } }
    Component { id: stepComponent; StepBar { width: 500 } }
    Component { id: segmentedComponent; Segmented { } }
    Component { id: buttonComponent; ActionButton { text: "Go" } }
    Component { id: toggleComponent; Toggle { } }
    Component { id: rowsComponent; ModelRows { } }
    Component { id: confirmComponent; ConfirmDialog { message: "Sure?" } }
    Component { id: emptyComponent; EmptyState { title: "Nothing"; width: 300 } }
    Component { id: selectComponent; Select { width: 200 } }

    SignalSpy { id: spy }
    // Points the spy at `obj`'s `signal`, counting from zero.
    function watch(obj, signal) {
        spy.target = null
        spy.signalName = signal
        spy.target = obj
        spy.clear()
    }

    TestCase {
        name: "Fmt"

        function test_cost_data() {
            return [
                { tag: "under a dollar: 4 decimals", v: 0.42129, known: undefined, out: "$0.4213" },
                { tag: "zero is known", v: 0, known: true, out: "$0.0000" },
                { tag: "tiny but not nothing", v: 0.0000465, known: undefined, out: "<$0.0001" },
                { tag: "a dollar and up: 2 decimals", v: 12.5, known: undefined, out: "$12.50" },
                { tag: "thousands grouped", v: 1234.5, known: undefined, out: "$1,234.50" },
                { tag: "unknown when not priced", v: 0.5, known: false, out: "unknown" },
                { tag: "undefined", v: undefined, known: undefined, out: "unknown" },
                { tag: "null", v: null, known: undefined, out: "unknown" },
                { tag: "empty string", v: "", known: undefined, out: "unknown" },
                { tag: "not a number", v: "abc", known: undefined, out: "unknown" }
            ]
        }
        function test_cost(data) {
            compare(fmt.cost(data.v, data.known), data.out)
        }

        function test_tokens_data() {
            return [
                { tag: "small", v: 999, out: "999" },
                { tag: "thousands", v: 1000, out: "1,000" },
                { tag: "millions", v: 1234567, out: "1,234,567" },
                { tag: "negative", v: -1234, out: "-1,234" },
                { tag: "rounded", v: 1234.6, out: "1,235" },
                { tag: "undefined", v: undefined, out: "—" },
                { tag: "string number", v: "5231", out: "5,231" }
            ]
        }
        function test_tokens(data) {
            compare(fmt.tokens(data.v), data.out)
        }

        function test_compact() {
            compare(fmt.compact(950), "950")
            compare(fmt.compact(1234), "1.2k")
            compare(fmt.compact(12345), "12k")
            compare(fmt.compact(1843211), "1.8M")
            compare(fmt.compact(undefined), "—")
        }

        function test_latency() {
            compare(fmt.latency(850), "850 ms")
            compare(fmt.latency(1500), "1.5 s")
            compare(fmt.latency(30000), "30 s")
            compare(fmt.latency(125000), "2m 05s")
            compare(fmt.latency(undefined), "—")
        }

        function test_duration() {
            compare(fmt.duration(45000), "45s")
            compare(fmt.duration(5 * 60000), "5m")
            compare(fmt.duration((3 * 60 + 12) * 60000), "3h 12m")
            compare(fmt.duration(50 * 3600000), "2d 2h")
            compare(fmt.duration(-1), "—")
        }

        function test_ago() {
            const now = 1700000000000
            compare(fmt.ago(now - 10000, now), "just now")
            compare(fmt.ago(now - 5 * 60000, now), "5 min ago")
            compare(fmt.ago(now - 3 * 3600000, now), "3 h ago")
            compare(fmt.ago(now - 72 * 3600000, now), "3 d ago")
            compare(fmt.ago(0, now), "never")
            compare(fmt.ago(undefined, now), "never")
        }

        function test_time() {
            compare(fmt.time(undefined), "—")
            compare(fmt.time(0), "—")
            const today = new Date()
            today.setHours(14, 3, 27, 0)
            compare(fmt.time(today.getTime()), "14:03:27")
        }

        function test_mask() {
            compare(fmt.mask(""), "")
            compare(fmt.mask(undefined), "")
            compare(fmt.mask("short"), "•••••")
            const m = fmt.mask("ag_local_3f9a0c1d2e4b5a69")
            verify(m.startsWith("ag_local"))
            verify(m.endsWith("5a69"))
            verify(m.indexOf("3f9a0c1d") < 0, "the middle of a secret is not shown")
        }

        function test_list() {
            compare(fmt.list(undefined), [])
            compare(fmt.list(null), [])
            compare(fmt.list(""), [])
            compare(fmt.list(["a", "b"]), ["a", "b"])
            compare(fmt.list("x"), ["x"])
        }

        function test_statusKind() {
            compare(fmt.statusKind(200), "ok")
            compare(fmt.statusKind(429), "warn")
            compare(fmt.statusKind(401), "error")
            compare(fmt.statusKind(502), "error")
            compare(fmt.statusKind(499), "error")
            compare(fmt.statusKind(undefined), "neutral")
        }

        function test_str() {
            compare(fmt.str(undefined), "")
            compare(fmt.str(null), "")
            compare(fmt.str(42), "42")
        }
    }

    TestCase {
        name: "Catalog"

        function test_titles() {
            compare(catalog.typeTitle("deepseek"), "DeepSeek")
            compare(catalog.typeTitle("nope"), "nope")
            compare(catalog.typeTitle(undefined), "")
            compare(catalog.sceneTitle("image"), "Image requests")
            compare(catalog.sceneTitle("tool_heavy"), "Tool-heavy")
            compare(catalog.protocolTitle("anthropic"), "Anthropic Messages")
            compare(catalog.protocolIndex("gemini"), 3)
            compare(catalog.protocolIndex("??"), 0)
            compare(catalog.stepTitle("provider"), "Provider")
            compare(catalog.outcomeTitle("timeout"), "timeout")
        }
        function test_scenes() {
            const ids = catalog.scenes.map(s => s.value)
            compare(ids, ["image", "reasoning", "background", "long_text", "tool_heavy"])
        }
    }

    TestCase {
        name: "Badge"
        when: windowShown

        function test_kinds() {
            const b = createTemporaryObject(badgeComponent, root, { text: "429", kind: "warn" })
            verify(b)
            compare(b.tone, Theme.warn)
            verify(b.visible)
            verify(b.implicitWidth > 16)
            b.kind = "ok"
            compare(b.tone, Theme.ok)
            b.kind = "error"
            compare(b.tone, Theme.error)
            b.kind = "something else"
            compare(b.tone, Theme.textMuted)
        }
        function test_empty_is_hidden() {
            const b = createTemporaryObject(badgeComponent, root, { text: "" })
            verify(!b.visible)
        }
    }

    TestCase {
        name: "StatCard"
        when: windowShown

        function test_value() {
            const s = createTemporaryObject(statComponent, root,
                                            { objectName: "statX", label: "Requests", value: "128",
                                              caption: "7 errors" })
            verify(s)
            const v = findChild(s, "statX_value")
            verify(v)
            compare(v.text, "128")
            verify(s.implicitHeight > 40)
        }
    }

    TestCase {
        name: "Chart"
        when: windowShown

        function test_empty() {
            const c = createTemporaryObject(chartComponent, root, { points: [] })
            verify(c.empty)
            compare(c.count, 0)
            compare(c.maxRequests, 4)
            wait(20)
        }
        function test_undefined_points() {
            const c = createTemporaryObject(chartComponent, root)
            c.points = undefined
            compare(c.count, 0)
            c.points = [undefined, { label: "14:00" }, { requests: "x" }]
            compare(c.count, 3)
            verify(c.empty)
            wait(20)
        }
        function test_scale() {
            const c = createTemporaryObject(chartComponent, root, {
                points: [{ label: "13:00", requests: 10, errors: 2, costUsd: 0.01 },
                         { label: "14:00", requests: 37, errors: 0, costUsd: 0.2 }]
            })
            verify(!c.empty)
            // Four grid steps of whole numbers: 37 -> 40.
            compare(c.maxRequests, 40)
            compare(c.maxCost, 0.2)
        }
        function test_hover() {
            const c = createTemporaryObject(chartComponent, root, {
                points: [{ label: "13:00", requests: 1 }, { label: "14:00", requests: 2 }]
            })
            mouseMove(c, c.leftPad + c.plotWidth * 0.25, c.topPad + 20)
            mouseMove(c, c.leftPad + c.plotWidth * 0.75, c.topPad + 20)
            tryCompare(c, "hoverIndex", 1)
        }
    }

    TestCase {
        name: "StepBar"
        when: windowShown

        function test_idle() {
            const s = createTemporaryObject(stepComponent, root)
            compare(s.items.length, 3)
            compare(s.items.map(i => i.state), ["idle", "idle", "idle"])
        }
        function test_results() {
            const s = createTemporaryObject(stepComponent, root, {
                steps: [{ name: "config", ok: true, detail: "fine" },
                        { name: "gateway", ok: false, detail: "refused" }]
            })
            compare(s.items.map(i => i.state), ["ok", "fail", "idle"])
            compare(s.items[1].detail, "refused")
        }
        function test_running_marks_the_next() {
            const s = createTemporaryObject(stepComponent, root, {
                running: true, steps: [{ name: "config", ok: true }]
            })
            compare(s.items.map(i => i.state), ["ok", "running", "idle"])
        }
        function test_extra_and_skipped() {
            const s = createTemporaryObject(stepComponent, root, {
                steps: [{ name: "vision", skipped: true }, undefined]
            })
            compare(s.items.length, 4)
            compare(s.items[3].state, "skipped")
        }
        function test_titles() {
            const s = createTemporaryObject(stepComponent, root, { titles: { provider: "Add provider" } })
            compare(s.titleFor("provider"), "Add provider")
            compare(s.titleFor("gateway"), "Gateway")
        }
    }

    TestCase {
        name: "Segmented"
        when: windowShown

        function test_activate() {
            const s = createTemporaryObject(segmentedComponent, root, {
                objectName: "seg",
                options: [{ value: "dark", text: "Dark" }, { value: "light", text: "Light" }],
                value: "dark"
            })
            watch(s, "activated")
            const light = findChild(s, "seg_light")
            verify(light)
            mouseClick(light)
            compare(spy.count, 1)
            compare(spy.signalArguments[0][0], "light")
            // The selected option does not fire again.
            mouseClick(findChild(s, "seg_dark"))
            compare(spy.count, 1)
        }
    }

    TestCase {
        name: "ActionButton"
        when: windowShown

        function test_click_and_busy() {
            const b = createTemporaryObject(buttonComponent, root, { kind: "primary" })
            watch(b, "clicked")
            mouseClick(b)
            compare(spy.count, 1)
            b.enabled = false
            mouseClick(b)
            compare(spy.count, 1)
            verify(b.opacity < 1)
        }
        function test_glyph_is_square() {
            const b = createTemporaryObject(buttonComponent, root, { text: "✕", glyph: true, compact: true })
            compare(b.implicitWidth, b.implicitHeight)
        }
    }

    TestCase {
        name: "Toggle"
        when: windowShown

        function test_size_and_toggle() {
            const t = createTemporaryObject(toggleComponent, root)
            verify(t.implicitWidth >= 40, "the track is part of the size without a label")
            verify(!t.checked)
            mouseClick(t)
            verify(t.checked)
        }
    }

    TestCase {
        name: "ModelRows"

        function test_null_model() {
            const r = createTemporaryObject(rowsComponent, root)
            compare(r.rows, [])
            compare(r.find("name", "x"), {})
            compare(r.names(), [])
        }
    }

    TestCase {
        name: "ConfirmDialog"
        when: windowShown

        function test_confirm() {
            const d = createTemporaryObject(confirmComponent, root, { objectName: "ask" })
            watch(d, "confirmed")
            d.open()
            tryCompare(d, "opened", true)
            const accept = findChild(d.footer, "ask_accept")
            verify(accept)
            mouseClick(accept)
            compare(spy.count, 1)
            tryCompare(d, "visible", false)
        }
        function test_cancel() {
            const d = createTemporaryObject(confirmComponent, root, { objectName: "ask2" })
            watch(d, "confirmed")
            d.open()
            tryCompare(d, "opened", true)
            mouseClick(findChild(d.footer, "ask2_cancel"))
            compare(spy.count, 0)
            tryCompare(d, "visible", false)
        }
    }

    TestCase {
        name: "EmptyState"
        when: windowShown

        function test_texts() {
            const e = createTemporaryObject(emptyComponent, root, { text: "" })
            verify(e.implicitHeight > 0)
        }
    }

    TestCase {
        name: "Select"
        when: windowShown

        function test_objects_and_strings() {
            const s = createTemporaryObject(selectComponent, root, {
                model: [{ value: "a", text: "Alpha" }, { value: "b", text: "Beta" }],
                textRole: "text", valueRole: "value"
            })
            compare(s.currentText, "Alpha")
            s.currentIndex = 1
            compare(s.currentValue, "b")
            s.model = ["x", "y"]
            s.textRole = ""
            s.valueRole = ""
            s.currentIndex = 1
            compare(s.currentText, "y")
        }
        function test_editable_text_survives_a_new_model() {
            const s = createTemporaryObject(selectComponent, root, { editable: true, model: [] })
            s.setText("gpt-4.1")
            compare(s.editText, "gpt-4.1")
            s.model = ["deepseek-chat", "deepseek-reasoner"]
            tryCompare(s, "editText", "gpt-4.1")
            s.setText("")
            s.model = ["a", "b", "c"]
            tryCompare(s, "editText", "")
        }
    }
}
