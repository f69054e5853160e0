// Requests per bucket as bars (errors stacked on top in the error colour) and cost as a line on
// its own axis, drawn on a Canvas. `points`: [{label, requests, errors, costUsd}], oldest first
// (Backend.chart). Hovering a bar shows its numbers.
import QtQuick
import QtQuick.Controls
import AgentGate.Ui

Item {
    id: chart

    property var points: []
    property bool showCost: true
    // Which bucket the pointer is over (-1: none).
    property int hoverIndex: -1

    readonly property int count: Array.isArray(points) ? points.length : (points && points.length ? points.length : 0)
    readonly property real leftPad: 40
    readonly property real rightPad: showCost ? 56 : 12
    readonly property real topPad: 10
    readonly property real bottomPad: 24
    readonly property real plotWidth: Math.max(1, width - leftPad - rightPad)
    readonly property real plotHeight: Math.max(1, height - topPad - bottomPad)
    readonly property real maxRequests: {
        let m = 0
        for (let i = 0; i < count; ++i) m = Math.max(m, num(points[i], "requests"))
        return niceCeil(m)
    }
    // The cost axis top: four steps of 1, 2, 2.5 or 5 × 10^k dollars (0: no cost at all).
    readonly property real maxCost: {
        let m = 0
        for (let i = 0; i < count; ++i) m = Math.max(m, num(points[i], "costUsd"))
        if (m <= 0) return 0
        const raw = m / 4
        const p = Math.pow(10, Math.floor(Math.log(raw) / Math.LN10))
        for (const f of [1, 2, 2.5, 5, 10])
            if (f * p >= raw * 0.999999) return f * p * 4
        return 40 * p
    }
    readonly property bool empty: {
        for (let i = 0; i < count; ++i)
            if (num(points[i], "requests") > 0) return false
        return true
    }

    Fmt { id: fmt }

    function num(p, key) {
        if (!p) return 0
        const v = Number(p[key])
        return isFinite(v) ? v : 0
    }
    // The axis top: 4 steps of 1, 2 or 5 × 10^k (so every grid label is a whole number).
    function niceCeil(v) {
        if (v <= 4) return 4
        const raw = v / 4
        const p = Math.pow(10, Math.floor(Math.log(raw) / Math.LN10))
        for (const f of [1, 2, 2.5, 5, 10]) {
            const step = f * p
            if (step >= raw && Math.round(step) === step) return step * 4
        }
        return 40 * p
    }
    // An axis label: enough decimals that the four steps up to `top` read apart.
    function costLabel(v, top) {
        if (v <= 0) return "$0"
        const step = (top > 0 ? top : v) / 4
        let decimals = 0
        while (decimals < 8 && Math.abs(Math.round(step * Math.pow(10, decimals)) - step * Math.pow(10, decimals)) > 1e-6)
            ++decimals
        return "$" + v.toFixed(Math.max(decimals, v < 1 ? 2 : 0))
    }

    implicitWidth: 480
    implicitHeight: 220

    onPointsChanged: canvas.requestPaint()
    onHoverIndexChanged: canvas.requestPaint()
    onWidthChanged: canvas.requestPaint()
    onHeightChanged: canvas.requestPaint()
    Connections {
        target: Theme
        function onDarkChanged() { canvas.requestPaint() }
    }

    Canvas {
        id: canvas
        anchors.fill: parent
        renderStrategy: Canvas.Immediate

        onPaint: {
            const ctx = getContext("2d")
            ctx.reset()
            const w = width, h = height
            const L = chart.leftPad, T = chart.topPad, PW = chart.plotWidth, PH = chart.plotHeight
            ctx.font = Theme.smallFont - 1 + "px sans-serif"
            ctx.lineWidth = 1

            // Grid and the requests axis.
            const steps = 4
            for (let s = 0; s <= steps; ++s) {
                const y = Math.round(T + PH - PH * s / steps) + 0.5
                ctx.strokeStyle = Theme.cardBorder
                ctx.beginPath()
                ctx.moveTo(L, y)
                ctx.lineTo(L + PW, y)
                ctx.stroke()
                ctx.fillStyle = Theme.textMuted
                ctx.textAlign = "right"
                ctx.textBaseline = "middle"
                ctx.fillText(fmt.compact(chart.maxRequests * s / steps), L - 8, y)
                if (chart.showCost && chart.maxCost > 0) {
                    ctx.textAlign = "left"
                    ctx.fillText(chart.costLabel(chart.maxCost * s / steps, chart.maxCost), L + PW + 8, y)
                }
            }
            const n = chart.count
            if (n === 0) return
            const slot = PW / n
            const bw = Math.max(2, Math.min(28, slot * 0.62))

            for (let i = 0; i < n; ++i) {
                const p = chart.points[i]
                const req = chart.num(p, "requests")
                const err = Math.min(req, chart.num(p, "errors"))
                const x = L + slot * i + (slot - bw) / 2
                if (i === chart.hoverIndex) {
                    ctx.fillStyle = Theme.accentSoft
                    ctx.fillRect(L + slot * i, T, slot, PH)
                }
                const okH = PH * (req - err) / chart.maxRequests
                const errH = PH * err / chart.maxRequests
                ctx.fillStyle = Theme.accent
                if (okH > 0) ctx.fillRect(x, T + PH - okH, bw, okH)
                ctx.fillStyle = Theme.error
                if (errH > 0) ctx.fillRect(x, T + PH - okH - errH, bw, errH)

                // Every few labels along the bottom.
                const every = Math.max(1, Math.ceil(n / Math.max(1, Math.floor(PW / 56))))
                if (i % every === 0 || i === n - 1 && (n - 1) % every > every / 2) {
                    ctx.fillStyle = Theme.textMuted
                    ctx.textAlign = "center"
                    ctx.textBaseline = "top"
                    ctx.fillText(p && p.label !== undefined ? String(p.label) : "",
                                 L + slot * i + slot / 2, T + PH + 7)
                }
            }

            // The cost line.
            if (chart.showCost && chart.maxCost > 0) {
                ctx.strokeStyle = Theme.ok
                ctx.lineWidth = 2
                ctx.lineJoin = "round"
                ctx.beginPath()
                for (let i = 0; i < n; ++i) {
                    const x = L + slot * i + slot / 2
                    const y = T + PH - PH * chart.num(chart.points[i], "costUsd") / chart.maxCost
                    if (i === 0) ctx.moveTo(x, y)
                    else ctx.lineTo(x, y)
                }
                ctx.stroke()
                ctx.fillStyle = Theme.ok
                for (let i = 0; i < n; ++i) {
                    const c = chart.num(chart.points[i], "costUsd")
                    if (c <= 0 && i !== chart.hoverIndex) continue
                    const x = L + slot * i + slot / 2
                    const y = T + PH - PH * c / chart.maxCost
                    ctx.beginPath()
                    ctx.arc(x, y, i === chart.hoverIndex ? 4 : 2.5, 0, 2 * Math.PI)
                    ctx.fill()
                }
            }
        }
    }

    MouseArea {
        id: hover
        x: chart.leftPad
        y: chart.topPad
        width: chart.plotWidth
        height: chart.plotHeight
        hoverEnabled: true
        acceptedButtons: Qt.NoButton
        onPositionChanged: (mouse) => {
            if (chart.count === 0) { chart.hoverIndex = -1; return }
            chart.hoverIndex = Math.max(0, Math.min(chart.count - 1,
                                        Math.floor(mouse.x / (chart.plotWidth / chart.count))))
        }
        onExited: chart.hoverIndex = -1
    }

    // The numbers of the bucket under the pointer.
    Rectangle {
        id: tip
        readonly property var point: chart.hoverIndex >= 0 && chart.hoverIndex < chart.count
                                     ? chart.points[chart.hoverIndex] : null
        visible: point !== null
        width: tipColumn.implicitWidth + 20
        height: tipColumn.implicitHeight + 14
        radius: 8
        color: Theme.window
        border.color: Theme.cardBorder
        x: {
            const slot = chart.plotWidth / Math.max(1, chart.count)
            const cx = chart.leftPad + slot * (chart.hoverIndex + 0.5)
            return Math.max(0, Math.min(chart.width - width, cx + 12))
        }
        y: chart.topPad + 4
        Column {
            id: tipColumn
            anchors.centerIn: parent
            spacing: 2
            Label {
                text: tip.point && tip.point.label !== undefined ? String(tip.point.label) : ""
                color: Theme.text
                font.bold: true
                font.pixelSize: Theme.smallFont
            }
            Label {
                text: qsTr("%1 requests").arg(fmt.count(tip.point ? chart.num(tip.point, "requests") : 0))
                color: Theme.text
                font.pixelSize: Theme.smallFont
            }
            Label {
                visible: tip.point !== null && chart.num(tip.point, "errors") > 0
                text: qsTr("%1 errors").arg(fmt.count(tip.point ? chart.num(tip.point, "errors") : 0))
                color: Theme.error
                font.pixelSize: Theme.smallFont
            }
            Label {
                visible: chart.showCost
                text: qsTr("Cost %1").arg(fmt.cost(tip.point ? chart.num(tip.point, "costUsd") : 0))
                color: Theme.ok
                font.pixelSize: Theme.smallFont
            }
        }
    }
}
