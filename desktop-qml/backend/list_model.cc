#include "desktop-qml/backend/list_model.h"

#include <QHash>
#include <QSet>
#include <utility>

namespace agentgate::desktop {

ListModel::ListModel(QList<QByteArray> roles, QByteArray key_role, QObject* parent)
    : QAbstractListModel(parent), roles_(std::move(roles)), key_role_(std::move(key_role)) {}

int ListModel::rowCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : count(); }

QVariant ListModel::data(const QModelIndex& index, int role) const {
  // An invalid index is a normal question (answered with nothing); one of another model is not.
  if (!index.isValid() ||
      !checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) {
    return {};
  }
  int r = role - Qt::UserRole - 1;
  if (role == Qt::DisplayRole) r = 0;
  if (r < 0 || r >= roles_.size()) return {};
  return rows_[index.row()].value(QString::fromUtf8(roles_[r]));
}

QHash<int, QByteArray> ListModel::roleNames() const {
  QHash<int, QByteArray> names;
  for (int i = 0; i < static_cast<int>(roles_.size()); ++i)
    names.insert(Qt::UserRole + 1 + i, roles_[i]);
  return names;
}

QVariantMap ListModel::get(int row) const {
  if (row < 0 || row >= rows_.size()) return {};
  return rows_[row];
}

int ListModel::indexOf(const QVariant& key) const {
  const QString k = QString::fromUtf8(key_role_);
  for (int i = 0; i < count(); ++i) {
    if (rows_[i].value(k) == key) return i;
  }
  return -1;
}

void ListModel::setRows(QList<QVariantMap> rows) {
  const QString k = QString::fromUtf8(key_role_);
  const int old_count = count();
  // 1. Remove the rows whose key is gone (from the end, so indexes stay valid).
  QSet<QString> wanted;
  for (const QVariantMap& row : rows) wanted.insert(row.value(k).toString());
  for (int i = static_cast<int>(rows_.size()) - 1; i >= 0; --i) {
    if (!wanted.contains(rows_[i].value(k).toString())) {
      beginRemoveRows(QModelIndex(), i, i);
      rows_.removeAt(i);
      endRemoveRows();
    }
  }
  // 2. Walk the new order: a row already in place is updated, one elsewhere is moved here, a
  // new one is inserted.
  for (int i = 0; i < static_cast<int>(rows.size()); ++i) {
    const QVariant key = rows[i].value(k);
    int at = -1;
    for (int j = i; j < count(); ++j) {
      if (rows_[j].value(k) == key) {
        at = j;
        break;
      }
    }
    if (at < 0) {
      beginInsertRows(QModelIndex(), i, i);
      rows_.insert(i, rows[i]);
      endInsertRows();
      continue;
    }
    if (at != i) {
      beginMoveRows(QModelIndex(), at, at, QModelIndex(), i);
      rows_.move(at, i);
      endMoveRows();
    }
    if (rows_[i] != rows[i]) {
      rows_[i] = rows[i];
      emit dataChanged(index(i), index(i));
    }
  }
  // 3. Rows left over at the end (a key that appeared twice before and once now).
  if (rows_.size() > rows.size()) {
    beginRemoveRows(QModelIndex(), static_cast<int>(rows.size()), count() - 1);
    rows_.resize(rows.size());
    endRemoveRows();
  }
  if (count() != old_count) emit countChanged();
}

}  // namespace agentgate::desktop

#include "moc_list_model.cpp"
