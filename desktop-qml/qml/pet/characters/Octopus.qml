// Octopus: a lavender octopus with freckles and six wavy tentacles that sway while idle and
// paddle fast while busy. Errors make it puff a cloud of ink; asleep, its tentacles curl.
import QtQuick
import QtQuick.Shapes
import "../parts"

Item {
    id: octo
    property real leanX: 0
    property bool animated: true
    width: 160
    height: 160

    readonly property color skin: "#a58bec"
    readonly property color skinDark: "#7b5fd0"
    readonly property color edge: "#5d42ad"
    readonly property color ink: "#2a1f45"

    property real phase: 0
    NumberAnimation on phase {
        running: octo.animated
        from: 0; to: Math.PI * 2
        duration: octo.state === "active" ? 700 : octo.state === "sleep" ? 5000 : 2400
        loops: Animation.Infinite
        onStopped: octo.phase = 0
    }
    readonly property real amp: state === "active" ? 7 : state === "sleep" ? 1.5 : 4
    readonly property real curl: state === "sleep" ? 1.6 : 1

    // Ink cloud behind, on errors.
    Item {
        visible: octo.state === "error"
        Repeater {
            model: [[6, 92, 30], [22, 80, 24], [18, 108, 22], [126, 96, 26], [136, 82, 18]]
            Rectangle {
                required property var modelData
                x: modelData[0]; y: modelData[1]; width: modelData[2]; height: modelData[2]
                radius: width / 2; color: "#54428a"; opacity: 0.8
            }
        }
    }

    // Tentacles: thick stroked curves (an outline under a fill), each with its own phase.
    Repeater {
        model: 6
        Shape {
            id: tentacle
            required property int index
            anchors.fill: parent
            readonly property real x0: 50 + index * 12
            readonly property real dir: index < 3 ? -1 : 1
            readonly property real spread: (index - 2.5) * 9
            readonly property real w1: Math.sin(octo.phase + index * 1.1) * octo.amp
            readonly property real w2: Math.cos(octo.phase + index * 1.1) * octo.amp
            ShapePath {
                strokeColor: octo.edge
                strokeWidth: 15
                fillColor: "transparent"
                capStyle: ShapePath.RoundCap
                PathSvg {
                    path: "M %1 96 C %2 114 %3 126 %4 136 C %5 144 %6 %7 %8 %9"
                        .arg(tentacle.x0)
                        .arg(tentacle.x0 + tentacle.spread * 0.3 + tentacle.w1)
                        .arg(tentacle.x0 + tentacle.spread * 0.8 - tentacle.w2)
                        .arg(tentacle.x0 + tentacle.spread + tentacle.w1 * 0.6)
                        .arg(tentacle.x0 + tentacle.spread + tentacle.dir * 6 * octo.curl)
                        .arg(tentacle.x0 + tentacle.spread + tentacle.dir * 12 * octo.curl)
                        .arg(146 - 4 * octo.curl)
                        .arg(tentacle.x0 + tentacle.spread + tentacle.dir * 10 * octo.curl + tentacle.w2 * 0.4)
                        .arg(134 - 2 * octo.curl)
                }
            }
            ShapePath {
                strokeColor: octo.skin
                strokeWidth: 11
                fillColor: "transparent"
                capStyle: ShapePath.RoundCap
                PathSvg {
                    path: "M %1 96 C %2 114 %3 126 %4 136 C %5 144 %6 %7 %8 %9"
                        .arg(tentacle.x0)
                        .arg(tentacle.x0 + tentacle.spread * 0.3 + tentacle.w1)
                        .arg(tentacle.x0 + tentacle.spread * 0.8 - tentacle.w2)
                        .arg(tentacle.x0 + tentacle.spread + tentacle.w1 * 0.6)
                        .arg(tentacle.x0 + tentacle.spread + tentacle.dir * 6 * octo.curl)
                        .arg(tentacle.x0 + tentacle.spread + tentacle.dir * 12 * octo.curl)
                        .arg(146 - 4 * octo.curl)
                        .arg(tentacle.x0 + tentacle.spread + tentacle.dir * 10 * octo.curl + tentacle.w2 * 0.4)
                        .arg(134 - 2 * octo.curl)
                }
            }
        }
    }

    // The mantle.
    Shape {
        anchors.fill: parent
        ShapePath {
            strokeColor: octo.edge; strokeWidth: 2.5; joinStyle: ShapePath.RoundJoin
            fillGradient: LinearGradient {
                x1: 80; y1: 22; x2: 80; y2: 106
                GradientStop { position: 0; color: "#c4b0f7" }
                GradientStop { position: 1; color: octo.skin }
            }
            PathSvg { path: "M 36 86 C 30 44 52 20 80 20 C 108 20 130 44 124 86 C 122 104 38 104 36 86 Z" }
        }
        ShapePath {   // shine
            strokeColor: "#ffffff"; strokeWidth: 4; fillColor: "transparent"; capStyle: ShapePath.RoundCap
            PathSvg { path: "M 50 50 C 54 38 62 32 70 30" }
        }
    }
    // Freckles.
    Repeater {
        model: [[92, 32, 8], [104, 42, 6], [58, 40, 5], [98, 54, 5]]
        Rectangle {
            required property var modelData
            x: modelData[0]; y: modelData[1]; width: modelData[2]; height: modelData[2]
            radius: width / 2; color: octo.skinDark; opacity: 0.55
        }
    }

    readonly property string eyeMode: state === "active" ? "happy" : state === "error" ? "x"
                                    : state === "sleep" ? "closed" : "open"
    PetEye { x: 54 + octo.leanX * 3; y: 62; size: 18; mode: octo.eyeMode; color: octo.ink; lookX: octo.leanX; animated: octo.animated }
    PetEye { x: 88 + octo.leanX * 3; y: 62; size: 18; mode: octo.eyeMode; color: octo.ink; lookX: octo.leanX; animated: octo.animated }
    Rectangle { x: 44; y: 80; width: 13; height: 7; radius: 3.5; color: "#ff8fb8"; opacity: 0.7 }
    Rectangle { x: 103; y: 80; width: 13; height: 7; radius: 3.5; color: "#ff8fb8"; opacity: 0.7 }
    PetMouth {
        x: 73 + octo.leanX * 3; y: 82; size: 14
        mode: octo.state === "active" ? "open" : octo.state === "error" ? "wobbly"
              : octo.state === "sleep" ? "o" : "smile"
        color: octo.ink
    }

    // Bubbles drifting up while idle.
    Repeater {
        model: octo.state === "idle" ? 2 : 0
        Rectangle {
            required property int index
            readonly property real t: ((octo.phase / (Math.PI * 2)) + index * 0.5) % 1
            x: 128 + index * 8 + Math.sin(t * 6) * 3
            y: 70 - t * 50
            width: 8 - index * 2; height: width; radius: width / 2
            color: "transparent"; border.color: "#bfe6ff"; border.width: 1.5
            opacity: octo.animated ? 1 - t : 0.8
        }
    }
    SleepZ { visible: octo.state === "sleep"; x: 116; y: 0; animated: octo.animated }
}
