// ListModel: setRows() turns one list into another with inserts, removals, moves and in-place
// updates that keep the model consistent (QAbstractItemModelTester watches every change) and
// keep persistent indexes on the rows whose keys stay.
#include "desktop-qml/backend/list_model.h"

#include <QAbstractItemModelTester>
#include <QPersistentModelIndex>
#include <QSignalSpy>
#include <QTest>
#include <random>

namespace agentgate::desktop {
namespace {

QVariantMap Row(const QString& name, int value = 0) {
  return QVariantMap{{"name", name}, {"value", value}};
}

QStringList Names(const ListModel& m) {
  QStringList out;
  for (const QVariantMap& r : m.rows()) out.append(r.value("name").toString());
  return out;
}

QList<QVariantMap> Rows(const QStringList& names) {
  QList<QVariantMap> out;
  for (const QString& n : names) out.append(Row(n));
  return out;
}

constexpr int kNameRole = Qt::UserRole + 1;
constexpr int kValueRole = Qt::UserRole + 2;

}  // namespace

class ListModelTest : public QObject {
  Q_OBJECT

 private slots:
  void rolesAndData() {
    ListModel m({"name", "value"}, "name");
    QAbstractItemModelTester tester(&m, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QHash<int, QByteArray> roles = m.roleNames();
    QCOMPARE(roles.value(kNameRole), QByteArray("name"));
    QCOMPARE(roles.value(kValueRole), QByteArray("value"));
    m.setRows({Row("a", 1), Row("b", 2)});
    QCOMPARE(m.rowCount(), 2);
    QCOMPARE(m.data(m.index(1), kValueRole).toInt(), 2);
    QCOMPARE(m.data(m.index(1), Qt::DisplayRole).toString(), QString("b"));  // the first role
    QVERIFY(!m.data(m.index(1), Qt::UserRole + 9).isValid());
    QVERIFY(!m.data(m.index(5), kNameRole).isValid());
    QCOMPARE(m.rowCount(m.index(0)), 0);  // a list: rows have no children
  }

  void insertsAndCount() {
    ListModel m({"name", "value"}, "name");
    QAbstractItemModelTester tester(&m, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy count(&m, &ListModel::countChanged);
    QSignalSpy inserted(&m, &QAbstractItemModel::rowsInserted);
    m.setRows(Rows({"a", "b", "c"}));
    QCOMPARE(Names(m), QStringList({"a", "b", "c"}));
    QCOMPARE(count.count(), 1);
    QCOMPARE(inserted.count(), 3);
    m.setRows(Rows({"x", "a", "b", "y", "c", "z"}));
    QCOMPARE(Names(m), QStringList({"x", "a", "b", "y", "c", "z"}));
    QCOMPARE(count.count(), 2);
    QCOMPARE(m.count(), 6);
  }

  void removals() {
    ListModel m({"name", "value"}, "name");
    QAbstractItemModelTester tester(&m, QAbstractItemModelTester::FailureReportingMode::QtTest);
    m.setRows(Rows({"a", "b", "c", "d"}));
    QSignalSpy removed(&m, &QAbstractItemModel::rowsRemoved);
    QSignalSpy count(&m, &ListModel::countChanged);
    m.setRows(Rows({"b", "d"}));
    QCOMPARE(Names(m), QStringList({"b", "d"}));
    QCOMPARE(removed.count(), 2);
    QCOMPARE(count.count(), 1);
    m.setRows({});
    QCOMPARE(m.count(), 0);
    QCOMPARE(count.count(), 2);
  }

  void movesKeepPersistentIndexes() {
    ListModel m({"name", "value"}, "name");
    QAbstractItemModelTester tester(&m, QAbstractItemModelTester::FailureReportingMode::QtTest);
    m.setRows(Rows({"a", "b", "c", "d"}));
    QPersistentModelIndex c(m.index(2));
    QSignalSpy moved(&m, &QAbstractItemModel::rowsMoved);
    QSignalSpy inserted(&m, &QAbstractItemModel::rowsInserted);
    QSignalSpy removed(&m, &QAbstractItemModel::rowsRemoved);
    QSignalSpy count(&m, &ListModel::countChanged);
    m.setRows(Rows({"d", "c", "a", "b"}));
    QCOMPARE(Names(m), QStringList({"d", "c", "a", "b"}));
    QVERIFY(moved.count() > 0);
    QCOMPARE(inserted.count(), 0);  // a reorder is moves only
    QCOMPARE(removed.count(), 0);
    QCOMPARE(count.count(), 0);
    QVERIFY(c.isValid());
    QCOMPARE(c.data(kNameRole).toString(), QString("c"));
    QCOMPARE(c.row(), 1);
  }

  void updatesInPlace() {
    ListModel m({"name", "value"}, "name");
    QAbstractItemModelTester tester(&m, QAbstractItemModelTester::FailureReportingMode::QtTest);
    m.setRows({Row("a", 1), Row("b", 2), Row("c", 3)});
    QPersistentModelIndex b(m.index(1));
    QSignalSpy changed(&m, &QAbstractItemModel::dataChanged);
    QSignalSpy inserted(&m, &QAbstractItemModel::rowsInserted);
    QSignalSpy removed(&m, &QAbstractItemModel::rowsRemoved);
    m.setRows({Row("a", 1), Row("b", 20), Row("c", 3)});
    QCOMPARE(changed.count(), 1);  // only the row that changed
    QCOMPARE(changed.at(0).at(0).toModelIndex().row(), 1);
    QCOMPARE(inserted.count(), 0);
    QCOMPARE(removed.count(), 0);
    QCOMPARE(b.data(kValueRole).toInt(), 20);
    // The same rows again: no signal at all.
    m.setRows({Row("a", 1), Row("b", 20), Row("c", 3)});
    QCOMPARE(changed.count(), 1);
  }

  void duplicateKeys() {
    ListModel m({"name", "value"}, "name");
    QAbstractItemModelTester tester(&m, QAbstractItemModelTester::FailureReportingMode::QtTest);
    m.setRows({Row("a", 1), Row("a", 2), Row("b", 3)});
    QCOMPARE(Names(m), QStringList({"a", "a", "b"}));
    QCOMPARE(m.get(1).value("value").toInt(), 2);
    m.setRows({Row("b", 3), Row("a", 1)});
    QCOMPARE(Names(m), QStringList({"b", "a"}));
    m.setRows({Row("a", 5), Row("b", 3), Row("a", 6), Row("a", 7)});
    QCOMPARE(Names(m), QStringList({"a", "b", "a", "a"}));
    QCOMPARE(m.get(3).value("value").toInt(), 7);
    QCOMPARE(m.indexOf("a"), 0);  // the first of them
  }

  void numericKeys() {
    ListModel m({"id", "status"}, "id");
    QAbstractItemModelTester tester(&m, QAbstractItemModelTester::FailureReportingMode::QtTest);
    auto row = [](qint64 id, int status) {
      return QVariantMap{{"id", QVariant::fromValue(id)}, {"status", status}};
    };
    m.setRows({row(3, 200), row(2, 200), row(1, 500)});
    QPersistentModelIndex two(m.index(1));
    m.setRows({row(4, 200), row(3, 200), row(2, 429), row(1, 500)});
    QCOMPARE(m.count(), 4);
    QCOMPARE(two.row(), 2);
    QCOMPARE(two.data(Qt::UserRole + 2).toInt(), 429);
    QCOMPARE(m.indexOf(QVariant::fromValue<qint64>(1)), 3);
  }

  void getAndIndexOf() {
    ListModel m({"name", "value"}, "name");
    m.setRows({Row("a", 1), Row("b", 2)});
    QCOMPARE(m.get(1).value("value").toInt(), 2);
    QVERIFY(m.get(-1).isEmpty());
    QVERIFY(m.get(2).isEmpty());
    QCOMPARE(m.indexOf("b"), 1);
    QCOMPARE(m.indexOf("zz"), -1);
  }

  // Random lists into random lists: whatever the change, the model ends equal to the target,
  // the tester sees a consistent model, and rows whose key stayed keep their persistent index.
  void randomTransitions() {
    ListModel m({"name", "value"}, "name");
    QAbstractItemModelTester tester(&m, QAbstractItemModelTester::FailureReportingMode::QtTest);
    std::mt19937 rng(20261122);  // fixed: the test is repeatable
    const QStringList keys = {"a", "b", "c", "d", "e", "f", "g", "h"};
    for (int round = 0; round < 400; ++round) {
      QList<QVariantMap> target;
      int n = static_cast<int>(rng() % 9);
      bool unique = round % 3 != 0;  // every third round allows duplicate keys
      QStringList pool = keys;
      for (int i = 0; i < n; ++i) {
        if (pool.isEmpty()) break;
        int at = static_cast<int>(rng() % static_cast<unsigned>(pool.size()));
        target.append(Row(pool[at], static_cast<int>(rng() % 3)));
        if (unique) pool.removeAt(at);
      }
      QList<QPersistentModelIndex> before;
      QStringList before_keys;
      for (int i = 0; i < m.count(); ++i) {
        before.append(QPersistentModelIndex(m.index(i)));
        before_keys.append(m.get(i).value("name").toString());
      }
      QSignalSpy count(&m, &ListModel::countChanged);
      const int old_count = m.count();
      m.setRows(target);
      QCOMPARE(m.rows(), target);
      QCOMPARE(count.count(), old_count == target.size() ? 0 : 1);
      QCOMPARE(m.count(), static_cast<int>(target.size()));
      QStringList distinct = before_keys;
      const bool before_unique = distinct.removeDuplicates() == 0;
      if (unique && before_unique) {
        for (int i = 0; i < before.size(); ++i) {
          bool kept = false;
          for (const QVariantMap& r : target) kept = kept || r.value("name") == before_keys[i];
          if (!kept) continue;
          QVERIFY(before[i].isValid());
          QCOMPARE(before[i].data(kNameRole).toString(), before_keys[i]);
        }
      }
    }
  }
};

}  // namespace agentgate::desktop

QTEST_GUILESS_MAIN(agentgate::desktop::ListModelTest)
#include "list_model_test.moc"
