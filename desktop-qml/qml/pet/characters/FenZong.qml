// FenZong: a little fox spirit with a big white-tipped tail and a blue will-o'-wisp that floats
// beside it. The tail sways while idle and wags while busy; on errors the wisp flares red and
// the ears droop; asleep, the wisp dims.
import QtQuick
import QtQuick.Shapes
import "../parts"

Item {
    id: fox
    property real leanX: 0
    property bool animated: true
    width: 160
    height: 160

    readonly property color fur: "#f28a3a"
    readonly property color furDark: "#d8672a"
    readonly property color edge: "#a94a1c"
    readonly property color cream: "#fff3e3"
    readonly property color ink: "#2b1d16"
    readonly property color wisp: state === "error" ? "#ff6b5e" : state === "sleep" ? "#6f8fb8" : "#6fd8ff"

    property real sway: 0
    SequentialAnimation on sway {
        running: fox.animated && fox.state !== "sleep"
        loops: Animation.Infinite
        NumberAnimation { from: 0; to: 1; duration: fox.state === "active" ? 180 : 1200; easing.type: Easing.InOutSine }
        NumberAnimation { from: 1; to: -1; duration: fox.state === "active" ? 360 : 2400; easing.type: Easing.InOutSine }
        NumberAnimation { from: -1; to: 0; duration: fox.state === "active" ? 180 : 1200; easing.type: Easing.InOutSine }
        onStopped: fox.sway = 0
    }
    property real flicker: 0
    NumberAnimation on flicker {
        running: fox.animated
        from: 0; to: Math.PI * 2; duration: fox.state === "error" ? 400 : 1600
        loops: Animation.Infinite
        onStopped: fox.flicker = 0
    }

    // The tail, behind everything.
    Item {
        x: 96; y: 136
        rotation: fox.sway * (fox.state === "active" ? 14 : 8)
        Shape {
            x: 0; y: -100; width: 64; height: 104
            ShapePath {
                strokeColor: fox.edge; strokeWidth: 2.5; fillColor: fox.fur; joinStyle: ShapePath.RoundJoin
                PathSvg { path: "M 0 96 C 40 102 62 70 56 36 C 52 12 34 2 28 10 C 44 30 40 56 24 70 C 16 78 6 80 0 82 Z" }
            }
            ShapePath {   // the white tip
                strokeColor: fox.edge; strokeWidth: 2.5; fillColor: fox.cream; joinStyle: ShapePath.RoundJoin
                PathSvg { path: "M 55 30 C 50 10 34 2 28 10 C 36 20 40 28 41 36 C 46 30 52 29 55 30 Z" }
            }
        }
    }
    // The body, sitting, with a cream chest and front paws.
    Shape {
        anchors.fill: parent
        ShapePath {
            strokeColor: fox.edge; strokeWidth: 2.5; fillColor: fox.fur; joinStyle: ShapePath.RoundJoin
            PathSvg { path: "M 54 146 C 48 122 56 100 80 100 C 104 100 112 122 106 146 Z" }
        }
        ShapePath {
            strokeColor: "transparent"; fillColor: fox.cream
            PathSvg { path: "M 68 104 C 72 118 76 128 80 132 C 84 128 88 118 92 104 Z" }
        }
    }
    Rectangle { x: 62; y: 136; width: 15; height: 12; radius: 6; color: fox.cream; border.color: fox.edge; border.width: 2 }
    Rectangle { x: 83; y: 136; width: 15; height: 12; radius: 6; color: fox.cream; border.color: fox.edge; border.width: 2 }

    // Ears (drooping on errors and in sleep).
    Repeater {
        model: [1, -1]
        Item {
            required property var modelData
            x: 80 - modelData * 26; y: 46
            rotation: -modelData * (fox.state === "error" ? 38 : fox.state === "sleep" ? 22 : 8)
            Shape {
                x: -14; y: -34; width: 28; height: 40
                ShapePath {
                    strokeColor: fox.edge; strokeWidth: 2.5; fillColor: fox.fur; joinStyle: ShapePath.RoundJoin
                    PathSvg { path: "M 0 38 C 2 22 8 8 14 0 C 20 8 26 22 28 38 Z" }
                }
                ShapePath {
                    strokeColor: "transparent"; fillColor: "#4a2a1e"
                    PathSvg { path: "M 7 34 C 9 24 11 14 14 8 C 17 14 19 24 21 34 Z" }
                }
            }
        }
    }
    // The head: wide cheeks with fluffy tufts.
    Shape {
        anchors.fill: parent
        ShapePath {
            strokeColor: fox.edge; strokeWidth: 2.5; fillColor: fox.fur; joinStyle: ShapePath.RoundJoin
            PathSvg {
                path: "M 80 38 C 104 38 120 52 122 72 L 130 80 L 120 84 C 114 98 98 106 80 106 " +
                      "C 62 106 46 98 40 84 L 30 80 L 38 72 C 40 52 56 38 80 38 Z"
            }
        }
        ShapePath {   // cream mask over the lower face
            strokeColor: "transparent"; fillColor: fox.cream
            PathSvg {
                path: "M 42 80 C 52 72 66 74 80 84 C 94 74 108 72 118 80 C 112 96 98 104 80 104 " +
                      "C 62 104 48 96 42 80 Z"
            }
        }
    }
    // A spirit mark on the forehead: a small diamond between two dots.
    Shape {
        x: 68; y: 44; width: 24; height: 14
        ShapePath {
            strokeColor: "transparent"; fillColor: fox.state === "error" ? "#ff6b5e" : "#d9468a"
            PathSvg { path: "M 12 0 L 17 7 L 12 14 L 7 7 Z M 1 7 A 2 2 0 1 0 5 7 A 2 2 0 1 0 1 7 Z M 19 7 A 2 2 0 1 0 23 7 A 2 2 0 1 0 19 7 Z" }
        }
    }

    readonly property string eyeMode: state === "active" ? "happy" : state === "error" ? "x"
                                    : state === "sleep" ? "closed" : "open"
    PetEye { x: 56 + fox.leanX * 3; y: 64; size: 15; mode: fox.eyeMode; color: fox.ink; lookX: fox.leanX; animated: fox.animated }
    PetEye { x: 89 + fox.leanX * 3; y: 64; size: 15; mode: fox.eyeMode; color: fox.ink; lookX: fox.leanX; animated: fox.animated }
    Rectangle { x: 46; y: 82; width: 12; height: 6; radius: 3; color: "#ff9a8a"; opacity: 0.7 }
    Rectangle { x: 102; y: 82; width: 12; height: 6; radius: 3; color: "#ff9a8a"; opacity: 0.7 }
    Rectangle { x: 76 + fox.leanX * 3; y: 82; width: 8; height: 5; radius: 2.5; color: fox.ink }   // nose
    PetMouth {
        x: 74 + fox.leanX * 3; y: 88; size: 12
        mode: fox.state === "active" ? "open" : fox.state === "error" ? "wobbly"
              : fox.state === "sleep" ? "flat" : "smile"
        color: fox.ink
    }

    // The wisp: a small flame with a glow, bobbing beside the fox.
    Item {
        x: 14; y: 42 + Math.sin(fox.flicker) * 4
        opacity: fox.state === "sleep" ? 0.55 : 1
        Rectangle {
            x: -6; y: 2; width: 34; height: 34; radius: 17
            color: fox.wisp; opacity: 0.22 + 0.08 * Math.sin(fox.flicker * 2)
        }
        Shape {
            width: 22; height: 30
            ShapePath {
                strokeColor: "transparent"; fillColor: fox.wisp
                PathSvg {
                    path: ("M %1 0 C 13 7 19 9 21 15 C 24 23 19 30 11 30 C 3 30 -1 23 2 16 " +
                           "C 4 12 7 13 7 8 C 9 10 12 7 %1 0 Z").arg(10 + 2 * Math.sin(fox.flicker * 2))
                }
            }
            ShapePath {
                strokeColor: "transparent"; fillColor: "#ffffff"
                PathSvg { path: "M 11 15 C 13 19 16 21 16 24 C 16 27 14 28 11 28 C 8 28 6 27 6 24 C 6 21 9 19 11 15 Z" }
            }
        }
    }
    SleepZ { visible: fox.state === "sleep"; x: 112; y: 8; animated: fox.animated }
}
