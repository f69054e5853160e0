// MaFan ("what a bother"): a small grumpy storm cloud with heavy eyelids and a frown that sighs
// little puffs. Busy, it works with wide, startled eyes; on errors it thunders; asleep, it drifts
// off pale and soft.
import QtQuick
import QtQuick.Shapes
import "../parts"

Item {
    id: mafan
    property real leanX: 0
    property bool animated: true
    width: 160
    height: 160

    readonly property color fill: state === "error" ? "#8d95ad" : state === "sleep" ? "#dfe3ee" : "#c5cbdc"
    readonly property color shade: state === "error" ? "#6d7590" : "#a3abc2"
    readonly property color edge: "#5f6782"
    readonly property color ink: "#2f3347"

    property real sigh: 0.8   // the puff's way from the mouth, 0..1
    SequentialAnimation on sigh {
        running: mafan.animated && mafan.state === "idle"
        loops: Animation.Infinite
        NumberAnimation { from: 0; to: 1; duration: 1800; easing.type: Easing.OutQuad }
        PauseAnimation { duration: 2200 }
        onStopped: mafan.sigh = 0.8
    }
    property real flash: 1    // the lightning, on errors
    SequentialAnimation on flash {
        running: mafan.animated && mafan.state === "error"
        loops: Animation.Infinite
        NumberAnimation { to: 0.2; duration: 90 }
        NumberAnimation { to: 1; duration: 90 }
        PauseAnimation { duration: 300 }
        onStopped: mafan.flash = 1
    }

    // Stubby feet.
    Rectangle { x: 58; y: 132; width: 14; height: 14; radius: 7; color: mafan.shade; border.color: mafan.edge; border.width: 2 }
    Rectangle { x: 88; y: 132; width: 14; height: 14; radius: 7; color: mafan.shade; border.color: mafan.edge; border.width: 2 }

    // The cloud body.
    Shape {
        anchors.fill: parent
        ShapePath {
            strokeColor: mafan.edge; strokeWidth: 2.5; joinStyle: ShapePath.RoundJoin
            fillGradient: LinearGradient {
                x1: 80; y1: 40; x2: 80; y2: 140
                GradientStop { position: 0; color: Qt.lighter(mafan.fill, 1.12) }
                GradientStop { position: 1; color: mafan.fill }
            }
            PathSvg {
                path: "M 38 136 C 14 136 10 106 30 98 C 20 76 40 58 58 66 C 62 42 96 36 106 60 " +
                      "C 124 52 144 70 134 92 C 152 100 148 136 122 136 Z"
            }
        }
        ShapePath {   // a soft highlight on the top puff
            strokeColor: "#ffffff"; strokeWidth: 3.5; fillColor: "transparent"; capStyle: ShapePath.RoundCap
            PathSvg { path: "M 70 56 C 74 50 82 48 88 49" }
        }
    }

    // Lightning from under it on errors.
    Shape {
        visible: mafan.state === "error"
        opacity: mafan.flash
        x: 104; y: 118; width: 30; height: 40
        ShapePath {
            strokeColor: "#c98a00"; strokeWidth: 1.5; fillColor: "#ffd23f"; joinStyle: ShapePath.RoundJoin
            PathSvg { path: "M 12 0 L 24 0 L 16 14 L 26 14 L 6 40 L 12 20 L 2 20 Z" }
        }
    }
    // Eyes: half-closed under heavy lids while idle.
    Item {
        id: eyes
        x: 52 + mafan.leanX * 3
        y: 86
        width: 56
        height: 20
        readonly property string mode: mafan.state === "active" ? "open" : mafan.state === "error" ? "x"
                                      : mafan.state === "sleep" ? "closed" : "grumpy"
        Repeater {
            model: 2
            Item {
                required property int index
                x: index * 38
                width: 18
                height: 18
                PetEye {
                    anchors.centerIn: parent
                    size: eyes.mode === "open" ? 17 : 15
                    mode: eyes.mode === "grumpy" ? "open" : eyes.mode
                    color: mafan.ink
                    lookX: mafan.leanX
                    animated: mafan.animated && eyes.mode === "open"
                }
                // The heavy lid: cloud-coloured, over the top half, with its edge drawn.
                Rectangle {
                    visible: eyes.mode === "grumpy"
                    x: -2; y: -3; width: 22; height: 11
                    color: Qt.lighter(mafan.fill, 1.05)
                }
                Rectangle {
                    visible: eyes.mode === "grumpy"
                    x: 0; y: 7; width: 18; height: 3; radius: 1.5
                    color: mafan.ink
                }
            }
        }
    }
    // Brows: a frown; raised and startled while busy.
    Shape {
        visible: mafan.state !== "sleep"
        x: eyes.x; y: eyes.y - 12; width: 60; height: 14
        ShapePath {
            strokeColor: mafan.ink; strokeWidth: 3; fillColor: "transparent"; capStyle: ShapePath.RoundCap
            PathSvg {
                path: mafan.state === "active" ? "M 2 4 Q 9 0 16 3 M 40 3 Q 47 0 54 4"
                    : "M 2 6 L 16 9 M 40 9 L 54 6"
            }
        }
    }
    Rectangle { x: 42; y: 104; width: 12; height: 6; radius: 3; color: "#f4a0b0"; opacity: 0.55 }
    Rectangle { x: 106; y: 104; width: 12; height: 6; radius: 3; color: "#f4a0b0"; opacity: 0.55 }
    // The frown (or a thin line of concentration while busy).
    Shape {
        x: 70 + mafan.leanX * 3; y: 108; width: 20; height: 10
        ShapePath {
            strokeColor: mafan.ink; strokeWidth: 2.6; fillColor: "transparent"; capStyle: ShapePath.RoundCap
            PathSvg {
                path: mafan.state === "active" ? "M 4 5 L 16 5"
                    : mafan.state === "error" ? "M 1 7 L 5 3 L 10 7 L 15 3 L 19 7"
                    : mafan.state === "sleep" ? "M 6 5 Q 10 8 14 5"
                    : "M 3 8 Q 10 1 17 8"
            }
        }
    }
    // The sigh: a little puff leaving the mouth.
    Item {
        visible: mafan.state === "idle" || mafan.state === "active"
        x: 96 + mafan.sigh * 40
        y: 108 - mafan.sigh * 34
        opacity: mafan.animated ? Math.sin(Math.PI * Math.min(1, mafan.sigh * 1.1)) : 0.85
        scale: 0.6 + mafan.sigh * 0.6
        Rectangle { x: 0; y: 4; width: 10; height: 10; radius: 5; color: "#f4f6fb"; border.color: "#8e96b0"; border.width: 1.5 }
        Rectangle { x: 7; y: 0; width: 12; height: 12; radius: 6; color: "#f4f6fb"; border.color: "#8e96b0"; border.width: 1.5 }
        Rectangle { x: 15; y: 5; width: 9; height: 9; radius: 4.5; color: "#f4f6fb"; border.color: "#8e96b0"; border.width: 1.5 }
    }
    // Sweat while it works.
    Shape {
        visible: mafan.state === "active"
        x: 34; y: 70; width: 12; height: 17
        ShapePath {
            strokeColor: "#3d8fd6"; strokeWidth: 1.5; fillColor: "#9fd3ff"
            PathSvg { path: "M 6 0 C 9 7 12 9 12 12 C 12 15 9 17 6 17 C 3 17 0 15 0 12 C 0 9 3 7 6 0 Z" }
        }
    }
    SleepZ { visible: mafan.state === "sleep"; x: 114; y: 26; animated: mafan.animated }
}
