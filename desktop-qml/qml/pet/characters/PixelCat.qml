// Pixel Cat: a blocky orange tabby in pixel art, sitting with its tail up. Every pixel is a
// Rectangle; the eyes, the mouth and the tail are overlays chosen by the state (and the tail
// swishes between two frames).
import QtQuick
import "../parts"

Item {
    id: cat
    property real leanX: 0
    property bool animated: true
    width: 160
    height: 160

    readonly property int px: 7
    readonly property int cols: 18
    readonly property int rows: 17
    readonly property var palette: ({
        "o": "#3b2a26", "f": "#f2994a", "d": "#d0692a", "w": "#fff1dc", "p": "#ff9fb3",
        "n": "#e8607a", "R": "#9c3434", "W": "#ffffff", "b": "#6fb7ff"
    })
    // The cat without eyes, mouth and tail. E: eye area, M: mouth area (fur underneath).
    readonly property var base: [
        ".oo........oo.....",
        ".opo......opo.....",
        ".oppooooooppo.....",
        "offffdffdffffo....",
        "ofEEEffffEEEfo....",
        "ofEEEffffEEEfo....",
        "ofEEEffffEEEfo....",
        "ofpffwnnwffpfo....",
        "offffwMMwffffo....",
        ".offffffffffo.....",
        "..offfwwfffo......",
        "..ofdwwwwdfo......",
        "..offwwwwffo......",
        "..ofdwwwwdfo......",
        "..offwwwwffo......",
        "..owwoffowwo......",
        "..oooooooooo......"
    ]
    // Tail frames: rows 7..15, columns 12..17 ("." leaves the cat as it is).
    readonly property var tails: [[
        "...oo.",
        "..odfo",
        "..ofo.",
        "..ofo.",
        "..odo.",
        "..ofo.",
        ".offo.",
        "offo..",
        "ooo..."
    ], [
        "....oo",
        "...odo",
        "...ofo",
        "...ofo",
        "..odo.",
        "..ofo.",
        ".offo.",
        "offo..",
        "ooo..."
    ]]
    // Eyes (3×3, the left eye; the right one is mirrored) and the mouth (cols 5..8, rows 8..9).
    function eyeRows(mode, look) {
        switch (mode) {
        case "happy": return [".o.", "o.o", "..."]
        case "x": return ["o.o", ".o.", "o.o"]
        case "closed": return ["...", "ooo", "..."]
        }
        return look < -0.3 ? ["oW.", "oo.", "oo."] : look > 0.3 ? [".oW", ".oo", ".oo"]
                                                                : [".oW", ".oo", ".oo"]
    }
    function mouthRows(mode) {
        switch (mode) {
        case "open": return ["oRRo", ".oo."]
        case "wobbly": return [".oo.", ".oo."]
        case "o": return ["....", ".oo."]
        }
        return [".oo.", "o..o"]
    }
    readonly property string eyeMode: state === "active" ? "happy" : state === "error" ? "x"
                                    : state === "sleep" ? "closed" : "open"
    readonly property string mouthMode: state === "active" ? "open" : state === "error" ? "wobbly"
                                      : state === "sleep" ? "o" : "smile"
    property int tailFrame: 0
    Timer {
        id: swish
        running: cat.animated && cat.state !== "sleep"
        repeat: true
        interval: cat.state === "active" ? 180 : cat.state === "error" ? 120 : 700
        onTriggered: cat.tailFrame = 1 - cat.tailFrame
        onRunningChanged: if (!swish.running) cat.tailFrame = 0
    }

    // The final picture, one string per row.
    readonly property var picture: {
        const g = base.map(r => r.split(""))
        const lean = leanX
        const eye = eyeRows(eyeMode, lean)
        for (let r = 0; r < 3; ++r) {
            for (let c = 0; c < 3; ++c) {
                g[4 + r][2 + c] = eye[r][c] === "." ? "f" : eye[r][c]
                // The right eye mirrors the left, except that both look the same way.
                const m = eyeMode === "open" ? eye[r][c] : eye[r][2 - c]
                g[4 + r][9 + c] = m === "." ? "f" : m
            }
        }
        const mouth = mouthRows(mouthMode)
        for (let c = 0; c < 4; ++c) {
            if (mouth[0][c] !== ".") g[8][5 + c] = mouth[0][c]
            else g[8][5 + c] = "w"
            if (mouth[1][c] !== ".") g[9][5 + c] = mouth[1][c]
        }
        const tail = tails[tailFrame]
        for (let r = 0; r < tail.length; ++r) {
            for (let c = 0; c < 6; ++c) {
                if (tail[r][c] !== ".") g[7 + r][12 + c] = tail[r][c]
            }
        }
        return g.map(r => r.join(""))
    }

    Item {
        x: 26
        y: 148 - cat.rows * cat.px
        width: cat.cols * cat.px
        height: cat.rows * cat.px
        Repeater {
            model: cat.rows * cat.cols
            Rectangle {
                required property int index
                readonly property string cell: cat.picture[Math.floor(index / cat.cols)][index % cat.cols]
                visible: cell !== "."
                x: (index % cat.cols) * cat.px
                y: Math.floor(index / cat.cols) * cat.px
                width: cat.px
                height: cat.px
                color: cell === "." ? "transparent" : cat.palette[cell]
            }
        }
    }

    // A pixel "!" over its head on error, pixel z's while asleep.
    Item {
        visible: cat.state === "error"
        x: 118; y: 14
        Rectangle { x: 0; y: 0; width: 7; height: 21; color: "#ff5a4a" }
        Rectangle { x: 0; y: 28; width: 7; height: 7; color: "#ff5a4a" }
    }
    SleepZ { visible: cat.state === "sleep"; x: 112; y: 2; animated: cat.animated }
}
