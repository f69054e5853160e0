// Formatting helpers shared by the pages: create one where needed (`Fmt { id: fmt }`) and call
// its functions. Every function accepts undefined/null/"" and answers with a placeholder rather
// than throwing, since model roles and maps may lack keys.
import QtQuick

QtObject {
    // "—" for a value that is not there.
    readonly property string none: "—"

    function isNum(v) {
        return v !== undefined && v !== null && v !== "" && isFinite(Number(v))
    }

    // 1234567 -> "1,234,567".
    function grouped(s) {
        const str = String(s)
        const dot = str.indexOf(".")
        const whole = dot < 0 ? str : str.substring(0, dot)
        const frac = dot < 0 ? "" : str.substring(dot)
        // (A look-ahead regex doubles the commas in Qt 6.4's engine: a loop instead.)
        let out = ""
        for (let i = 0; i < whole.length; ++i) {
            if (i > 0 && (whole.length - i) % 3 === 0) out += ","
            out += whole[i]
        }
        return out + frac
    }

    // Token and request counts with thousands separators.
    function count(v) {
        if (!isNum(v)) return none
        const n = Math.round(Number(v))
        return (n < 0 ? "-" : "") + grouped(String(Math.abs(n)))
    }
    function tokens(v) { return count(v) }

    // 12345 -> "12.3k", for chart axes and tight spaces.
    function compact(v) {
        if (!isNum(v)) return none
        const n = Number(v)
        const a = Math.abs(n)
        if (a >= 1e9) return (n / 1e9).toFixed(a >= 1e10 ? 0 : 1) + "B"
        if (a >= 1e6) return (n / 1e6).toFixed(a >= 1e7 ? 0 : 1) + "M"
        if (a >= 1e3) return (n / 1e3).toFixed(a >= 1e4 ? 0 : 1) + "k"
        return String(Math.round(n))
    }

    // US dollars: "$0.4213" under $1, "$12.34" from $1; "unknown" when the cost is not known
    // (a model without a price), never "$0".
    function cost(v, known) {
        if (known === false || !isNum(v)) return qsTr("unknown")
        const n = Number(v)
        // A real but tiny cost does not read as nothing.
        if (n > 0 && n < 0.00005) return "<$0.0001"
        if (Math.abs(n) < 1) return (n < 0 ? "-$" : "$") + Math.abs(n).toFixed(4)
        return (n < 0 ? "-$" : "$") + grouped(Math.abs(n).toFixed(2))
    }

    // Milliseconds: "850 ms", "1.2 s", "2m 05s".
    function latency(v) {
        if (!isNum(v)) return none
        const ms = Math.round(Number(v))
        if (ms < 1000) return qsTr("%1 ms").arg(ms)
        if (ms < 60000) return qsTr("%1 s").arg((ms / 1000).toFixed(ms < 10000 ? 1 : 0))
        const s = Math.round(ms / 1000)
        return qsTr("%1m %2s").arg(Math.floor(s / 60)).arg(String(s % 60).padStart(2, "0"))
    }

    // A span for uptimes: "3d 4h", "2h 05m", "45s".
    function duration(v) {
        if (!isNum(v) || Number(v) < 0) return none
        const s = Math.floor(Number(v) / 1000)
        if (s < 60) return qsTr("%1s").arg(s)
        const m = Math.floor(s / 60)
        if (m < 60) return qsTr("%1m").arg(m)
        const h = Math.floor(m / 60)
        if (h < 24) return qsTr("%1h %2m").arg(h).arg(String(m % 60).padStart(2, "0"))
        return qsTr("%1d %2h").arg(Math.floor(h / 24)).arg(h % 24)
    }

    // Unix ms -> "14:03:27" today, "03-18 14:03" before.
    function time(v) {
        if (!isNum(v) || Number(v) <= 0) return none
        const d = new Date(Number(v))
        const now = new Date()
        if (d.toDateString() === now.toDateString()) return Qt.formatTime(d, "HH:mm:ss")
        return Qt.formatDateTime(d, "MM-dd HH:mm")
    }
    function dateTime(v) {
        if (!isNum(v) || Number(v) <= 0) return none
        return Qt.formatDateTime(new Date(Number(v)), "yyyy-MM-dd HH:mm:ss")
    }

    // Unix ms -> "just now", "5 min ago", "3 h ago", "2 d ago".
    function ago(v, nowMs) {
        if (!isNum(v) || Number(v) <= 0) return qsTr("never")
        const now = isNum(nowMs) ? Number(nowMs) : Date.now()
        const s = Math.max(0, Math.round((now - Number(v)) / 1000))
        if (s < 45) return qsTr("just now")
        const m = Math.round(s / 60)
        if (m < 60) return qsTr("%1 min ago").arg(m)
        const h = Math.round(m / 60)
        if (h < 48) return qsTr("%1 h ago").arg(h)
        return qsTr("%1 d ago").arg(Math.round(h / 24))
    }

    // A secret for display: "ag_local…e2f3"; "" stays "".
    function mask(s) {
        const str = s === undefined || s === null ? "" : String(s)
        if (str.length === 0) return ""
        if (str.length <= 12) return "•".repeat(str.length)
        return str.substring(0, 8) + "…" + "•".repeat(6) + str.substring(str.length - 4)
    }

    // A value for a Label: "" for undefined/null.
    function str(v) {
        return v === undefined || v === null ? "" : String(v)
    }
    // An array whatever arrives (undefined, a QStringList, a JS array).
    function list(v) {
        if (v === undefined || v === null || v === "") return []
        if (Array.isArray(v)) return v
        if (typeof v === "object" && v.length !== undefined) {
            const out = []
            for (let i = 0; i < v.length; ++i) out.push(v[i])
            return out
        }
        return [v]
    }
    // `c` with alpha `a` (Qt 6.4 has no Qt.alpha).
    function tint(c, a) {
        return Qt.rgba(c.r, c.g, c.b, a)
    }

    // HTTP status -> "ok" | "warn" | "error" (for Badge.kind).
    function statusKind(v) {
        const n = Number(v)
        if (!isFinite(n) || n <= 0) return "neutral"
        if (n >= 500 || n === 499) return "error"
        if (n >= 400) return n === 429 ? "warn" : "error"
        return "ok"
    }

    // A provider health string (healthy, cooling down 25s, circuit open, half-open, disabled).
    function healthKind(state, enabled) {
        const s = str(state).toLowerCase()
        if (enabled === false || s === "disabled") return "neutral"
        if (s === "" || s === "healthy" || s === "ok") return s === "" ? "neutral" : "ok"
        if (s.indexOf("open") >= 0 && s.indexOf("half") < 0) return "error"
        return "warn"
    }
}
