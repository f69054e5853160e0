// The rows of a Backend ListModel as a JS array of maps, kept current (count, data, moves,
// resets): for drop-downs and look-ups by name. `rows` is [] while `model` is null.
import QtQuick

QtObject {
    id: rowsObj

    property var model: null
    property var rows: []

    function reload() {
        const out = []
        const m = rowsObj.model
        if (m && m.count !== undefined) {
            for (let i = 0; i < m.count; ++i) out.push(m.get(i))
        }
        rowsObj.rows = out
    }
    // The row whose `key` equals `value`, or {} (never undefined).
    function find(key, value) {
        for (const r of rowsObj.rows)
            if (r && r[key] === value) return r
        return ({})
    }
    // One role of every row: names(), names("title").
    function names(key) {
        const k = key === undefined ? "name" : key
        return rowsObj.rows.map(r => r && r[k] !== undefined && r[k] !== null ? String(r[k]) : "")
    }

    onModelChanged: reload()
    Component.onCompleted: reload()

    property Connections watcher: Connections {
        target: rowsObj.model
        ignoreUnknownSignals: true
        function onCountChanged() { rowsObj.reload() }
        function onDataChanged() { rowsObj.reload() }
        function onRowsMoved() { rowsObj.reload() }
        function onModelReset() { rowsObj.reload() }
    }
}
