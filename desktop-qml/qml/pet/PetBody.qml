// The pet itself: one character (characters/<Name>.qml, 160×160) with the motion of its state
// and a soft shadow under it. The character draws its face for the state; this item moves it:
//   idle    a gentle bob (2 s), leaning toward the cursor (leanX)
//   active  bouncing, squashed a little on landing
//   error   a horizontal shake
//   sleep   slow breathing
// With `animated` false every motion rests at its neutral pose (deterministic screenshots).
import QtQuick

Item {
    id: body
    property string character: "gatewayBot"
    property string petState: "idle"
    property real leanX: 0          // -1..1, used while idle
    property bool animated: true
    readonly property alias item: loader.item

    // Character id -> file under characters/.
    readonly property var files: ({
        gatewayBot: "GatewayBot", pixelCat: "PixelCat", slime: "Slime", ceo: "Ceo",
        octopus: "Octopus", mafan: "MaFan", kuikui: "KuiKui", fenzong: "FenZong",
        zhenzhen: "ZhenZhen"
    })

    implicitWidth: 160
    implicitHeight: 160

    // Phases of the four motions, 0..1, each running only in its state.
    property real idlePhase: 0
    property real activePhase: 0
    property real errorPhase: 0
    property real sleepPhase: 0
    NumberAnimation on idlePhase {
        running: body.animated && body.petState === "idle"
        from: 0; to: 1; duration: 2000; loops: Animation.Infinite
        onStopped: body.idlePhase = 0
    }
    NumberAnimation on activePhase {
        running: body.animated && body.petState === "active"
        from: 0; to: 1; duration: 520; loops: Animation.Infinite
        onStopped: body.activePhase = 0
    }
    NumberAnimation on errorPhase {
        running: body.animated && body.petState === "error"
        from: 0; to: 1; duration: 360; loops: Animation.Infinite
        onStopped: body.errorPhase = 0
    }
    NumberAnimation on sleepPhase {
        running: body.animated && body.petState === "sleep"
        from: 0; to: 1; duration: 3600; loops: Animation.Infinite
        onStopped: body.sleepPhase = 0
    }

    readonly property real hop: Math.abs(Math.sin(Math.PI * activePhase))  // 0 on the ground
    readonly property real liftY: petState === "idle" ? -2.5 * (1 - Math.cos(2 * Math.PI * idlePhase))
                                : petState === "active" && animated ? -16 * hop : 0
    readonly property real shakeX: petState === "error" ? 5 * Math.sin(2 * Math.PI * errorPhase) : 0
    readonly property real stretchY: petState === "sleep" ? 1 + 0.03 * Math.sin(2 * Math.PI * sleepPhase)
                                   : petState === "active" && animated ? 1 - 0.08 * Math.pow(1 - hop, 6) + 0.03 * hop
                                   : 1
    property real lean: petState === "idle" ? Math.max(-1, Math.min(1, leanX)) : 0
    Behavior on lean { enabled: body.animated; NumberAnimation { duration: 400; easing.type: Easing.OutCubic } }

    // The shadow shrinks while the pet is in the air.
    Rectangle {
        width: 96 * (1 + body.liftY / 60)
        height: 12 * (1 + body.liftY / 60)
        radius: height / 2
        x: (parent.width - width) / 2 + body.shakeX * 0.5
        y: parent.height / 2 + 80 - 10 - height / 2
        color: "#000000"
        opacity: 0.16 * (1 + body.liftY / 50)
    }

    // 20 px of room around the 160 px character: what it throws around (droplets, wings,
    // z's) is not cut off by the layer.
    Item {
        id: motion
        width: 200
        height: 200
        anchors.centerIn: parent
        // Smooth edges for the vector shapes (multisampled), and smooth transforms. Not with the
        // software renderer: it paints shapes antialiased itself, and its layers are opaque.
        layer.enabled: GraphicsInfo.api !== GraphicsInfo.Software
        layer.samples: 4
        layer.smooth: true
        transform: [
            Scale {
                origin.x: 100; origin.y: 170
                yScale: body.stretchY
                xScale: 2 - body.stretchY
            },
            Rotation { origin.x: 100; origin.y: 170; angle: body.lean * 7 },
            Translate { x: body.shakeX; y: body.liftY }
        ]

        Loader {
            id: loader
            x: 20
            y: 20
            width: 160
            height: 160
            source: "characters/" + (body.files[body.character] || "GatewayBot") + ".qml"
            onLoaded: {
                item.state = Qt.binding(() => body.petState)
                item.leanX = Qt.binding(() => body.lean)
                item.animated = Qt.binding(() => body.animated)
            }
        }
    }
}
