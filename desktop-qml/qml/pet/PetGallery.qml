// One pet in one state, for the screenshot tool and tests (not a window): the character, its
// motion (stopped when `animated` is false, so the picture is the same every time) and, when
// `bubbleText` is set, a speech bubble above it. Sized by whoever places it (default 200×200);
// the pet is scaled down to fit under the bubble.
import QtQuick

Item {
    id: gallery
    property string character: "gatewayBot"
    property string petState: "idle"
    property string bubbleText: ""
    property real leanX: 0
    property bool animated: true
    readonly property alias pet: body

    implicitWidth: 200
    implicitHeight: 200

    SpeechBubble {
        id: bubble
        objectName: "petBubble"
        anchors.horizontalCenter: parent.horizontalCenter
        y: 4
        maxWidth: gallery.width - 8
        text: gallery.bubbleText
        animated: gallery.animated
    }

    PetBody {
        id: body
        // The bubble may overlap the top of the 160 px box (antennas and ears rarely reach it).
        readonly property real room: gallery.height - (gallery.bubbleText !== "" ? bubble.height - 20 : 0)
        width: 160
        height: 160
        scale: Math.min(1, gallery.width / 170, room / 165)
        transformOrigin: Item.Bottom
        anchors.horizontalCenter: parent.horizontalCenter
        anchors.bottom: parent.bottom
        anchors.bottomMargin: Math.max(0, (room - 160) / 2)
        character: gallery.character
        petState: gallery.petState
        leanX: gallery.leanX
        animated: gallery.animated
    }
}
