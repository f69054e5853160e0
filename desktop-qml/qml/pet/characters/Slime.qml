// Slime: a glossy mint jelly blob with a little curl on top. It wobbles while idle, throws
// droplets while busy, turns a feverish pink on errors and flattens out to sleep.
import QtQuick
import QtQuick.Shapes
import "../parts"

Item {
    id: slime
    property real leanX: 0
    property bool animated: true
    width: 160
    height: 160

    readonly property color topColor: state === "error" ? "#ffb0b8" : "#9af2c4"
    readonly property color bottomColor: state === "error" ? "#ef6f83" : "#38c488"
    readonly property color edge: state === "error" ? "#c84d62" : "#23935f"

    property real wob: 0   // jelly wobble, -1..1
    SequentialAnimation on wob {
        running: slime.animated && slime.state !== "sleep"
        loops: Animation.Infinite
        NumberAnimation { from: 0; to: 1; duration: 700; easing.type: Easing.InOutSine }
        NumberAnimation { from: 1; to: -1; duration: 1400; easing.type: Easing.InOutSine }
        NumberAnimation { from: -1; to: 0; duration: 700; easing.type: Easing.InOutSine }
        onStopped: slime.wob = 0
    }
    // Sleeping, it settles lower and wider.
    readonly property real squat: state === "sleep" ? 10 : 0
    readonly property real tipX: 84 + wob * 5 + leanX * 4

    Shape {
        anchors.fill: parent
        ShapePath {
            strokeColor: slime.edge
            strokeWidth: 3
            joinStyle: ShapePath.RoundJoin
            fillGradient: LinearGradient {
                x1: 80; y1: 40; x2: 80; y2: 150
                GradientStop { position: 0; color: slime.topColor }
                GradientStop { position: 1; color: slime.bottomColor }
            }
            PathSvg {
                path: {
                    const q = slime.squat, w = slime.wob * 3, t = slime.tipX
                    return ("M 22 146 C 8 138 12 108 28 %1 C 42 %2 60 %3 72 %4 " +
                            "C 78 %5 %6 %7 %8 %9 C %10 %11 98 %12 116 %13 " +
                            "C 142 %14 152 136 138 146 C 120 152 40 152 22 146 Z")
                        .arg(92 + q).arg(72 + q + w).arg(62 + q).arg(54 + q)
                        .arg(50 + q).arg(t - 6).arg(44 + q).arg(t).arg(34 + q * 1.6)
                        .arg(t + 2).arg(48 + q).arg(60 + q).arg(76 + q - w)
                        .arg(98 + q)
                }
            }
        }
        // The shine.
        ShapePath {
            strokeColor: "transparent"
            fillColor: "#ffffff"
            PathSvg { path: "M 34 %1 C 36 %2 50 %3 60 %4 C 54 %5 40 %6 34 %1 Z"
                          .arg(112 + slime.squat * 0.6).arg(96 + slime.squat * 0.8)
                          .arg(78 + slime.squat).arg(72 + slime.squat)
                          .arg(82 + slime.squat).arg(94 + slime.squat) }
        }
    }
    Rectangle { x: 64; y: 62 + slime.squat; width: 7; height: 7; radius: 3.5; color: "#ffffff"; opacity: 0.85 }
    // Bubbles inside the jelly.
    Rectangle { x: 112; y: 122; width: 9; height: 9; radius: 4.5; color: "transparent"
                border.color: "#ffffff"; border.width: 1.5; opacity: 0.55 }
    Rectangle { x: 104; y: 134; width: 5; height: 5; radius: 2.5; color: "#ffffff"; opacity: 0.45 }

    // The face.
    Item {
        id: face
        x: 40 + slime.leanX * 4
        y: 94 + slime.squat * 0.9
        width: 80
        height: 40
        readonly property string eyeMode: slime.state === "active" ? "happy" : slime.state === "error" ? "x"
                                        : slime.state === "sleep" ? "closed" : "open"
        PetEye { x: 10; y: 0; size: 17; mode: face.eyeMode; color: "#1f3b30"; lookX: slime.leanX; animated: slime.animated }
        PetEye { x: 53; y: 0; size: 17; mode: face.eyeMode; color: "#1f3b30"; lookX: slime.leanX; animated: slime.animated }
        PetMouth {
            x: 32; y: 20; size: 16
            mode: slime.state === "active" ? "open" : slime.state === "error" ? "wobbly"
                  : slime.state === "sleep" ? "o" : "smile"
            color: "#1f3b30"
        }
        Rectangle { x: -2; y: 18; width: 14; height: 8; radius: 4; color: "#ff7fa0"; opacity: 0.55 }
        Rectangle { x: 68; y: 18; width: 14; height: 8; radius: 4; color: "#ff7fa0"; opacity: 0.55 }
    }

    // Droplets flung off while busy.
    Repeater {
        model: slime.state === "active" ? 2 : 0
        Rectangle {
            required property int index
            x: index === 0 ? 10 : 140
            y: 76 - slime.wob * 6
            width: 9; height: 12; radius: 5
            rotation: index === 0 ? -30 : 30
            color: slime.topColor
            border.color: slime.edge; border.width: 1.5
        }
    }
    // A sweat drop on errors.
    Shape {
        visible: slime.state === "error"
        x: 120; y: 70; width: 14; height: 20
        ShapePath {
            strokeColor: "#3d8fd6"; strokeWidth: 1.5; fillColor: "#9fd3ff"
            PathSvg { path: "M 7 0 C 10 8 14 11 14 14 C 14 18 11 20 7 20 C 3 20 0 18 0 14 C 0 11 4 8 7 0 Z" }
        }
    }
    SleepZ { visible: slime.state === "sleep"; x: 106; y: 26; animated: slime.animated }
}
