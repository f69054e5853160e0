// One eye of a pet, centred on its item: `mode` open (an oval with a shine that looks toward
// lookX and blinks now and then), happy (a ^ arc), x (a cross, for errors) or closed (a
// sleeping ‿ arc).
import QtQuick
import QtQuick.Shapes

Item {
    id: eye
    property string mode: "open"
    property real size: 14          // the eye's height
    property color color: "#2b2320"
    property color shine: "#ffffff"
    property real lookX: 0          // -1..1: the pupil shifts a little toward it
    property bool animated: true
    property real lineWidth: Math.max(2.5, size / 5)

    width: size
    height: size

    // open: an oval that blinks every few seconds.
    Rectangle {
        id: oval
        visible: eye.mode === "open"
        width: eye.size * 0.78
        height: eye.size
        radius: width / 2
        anchors.centerIn: parent
        anchors.horizontalCenterOffset: eye.lookX * eye.size * 0.12
        color: eye.color
        transform: Scale { id: lid; origin.y: oval.height / 2; yScale: 1 }
        Rectangle {
            width: parent.width * 0.42
            height: width
            radius: width / 2
            x: parent.width * 0.16 + eye.lookX * parent.width * 0.1
            y: parent.height * 0.14
            color: eye.shine
        }
        Rectangle {
            width: parent.width * 0.2
            height: width
            radius: width / 2
            x: parent.width * 0.58
            y: parent.height * 0.62
            color: eye.shine
            opacity: 0.7
        }
        SequentialAnimation {
            running: eye.animated && eye.mode === "open"
            loops: Animation.Infinite
            onStopped: lid.yScale = 1
            PauseAnimation { duration: 2800 + Math.random() * 2400 }
            NumberAnimation { target: lid; property: "yScale"; to: 0.1; duration: 70 }
            NumberAnimation { target: lid; property: "yScale"; to: 1; duration: 90 }
        }
    }

    Shape {
        anchors.fill: parent
        visible: eye.mode !== "open"
        ShapePath {
            strokeColor: eye.color
            strokeWidth: eye.lineWidth
            fillColor: "transparent"
            capStyle: ShapePath.RoundCap
            joinStyle: ShapePath.RoundJoin
            PathSvg {
                path: {
                    const s = eye.size
                    switch (eye.mode) {
                    case "happy":
                        return "M %1 %2 Q %3 %4 %5 %2".arg(s * 0.05).arg(s * 0.72)
                            .arg(s * 0.5).arg(s * 0.0).arg(s * 0.95)
                    case "x":
                        return "M %1 %1 L %2 %2 M %2 %1 L %1 %2".arg(s * 0.14).arg(s * 0.86)
                    default:  // closed
                        return "M %1 %2 Q %3 %4 %5 %2".arg(s * 0.05).arg(s * 0.42)
                            .arg(s * 0.5).arg(s * 0.95).arg(s * 0.95)
                    }
                }
            }
        }
    }
}
