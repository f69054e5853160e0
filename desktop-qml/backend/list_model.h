// A list model of QVariantMap rows for QML. The roles are fixed at construction (the map keys a
// page reads, e.g. "name", "status"); setRows() replaces the content with as few changes as it
// can: rows are matched by `key_role`, so a refresh updates changed rows in place (dataChanged),
// inserts and removes the others, and moves nothing a view has scrolled to or selected.
//
// Thread-safety: GUI thread only (like every QAbstractItemModel).
#pragma once

#include <QtQml/qqmlregistration.h>

#include <QAbstractListModel>
#include <QByteArray>
#include <QList>
#include <QVariantMap>

namespace agentgate::desktop {

class ListModel : public QAbstractListModel {
  Q_OBJECT
  // Named so it does not hide QtQml's ListModel in files importing both modules.
  QML_NAMED_ELEMENT(RowModel)
  QML_UNCREATABLE("rows come from Backend")
  Q_PROPERTY(int count READ count NOTIFY countChanged)

 public:
  ListModel(QList<QByteArray> roles, QByteArray key_role, QObject* parent = nullptr);

  int rowCount(const QModelIndex& parent = QModelIndex()) const override;
  QVariant data(const QModelIndex& index, int role) const override;
  QHash<int, QByteArray> roleNames() const override;

  int count() const { return static_cast<int>(rows_.size()); }
  // The whole row as a map ({} when out of range).
  Q_INVOKABLE QVariantMap get(int row) const;
  // The row whose key role equals `key`, or -1.
  Q_INVOKABLE int indexOf(const QVariant& key) const;

  void setRows(QList<QVariantMap> rows);
  const QList<QVariantMap>& rows() const { return rows_; }

 signals:
  void countChanged();

 private:
  const QList<QByteArray> roles_;
  const QByteArray key_role_;
  QList<QVariantMap> rows_;
};

}  // namespace agentgate::desktop
