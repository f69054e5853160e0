// Backend: the MCP & Skills page (see backend.h). The lists come from the admin API; the
// clients' files are written here, on the user's machine, with toolbox/toolbox_files — the same
// code `agentgatectl mcp|skill` runs.
#include <QFileInfo>
#include <QUrl>

#include "desktop-qml/backend/admin_worker.h"
#include "desktop-qml/backend/backend.h"
#include "services/clientconf/client_config.h"
#include "services/toolbox/rules.h"
#include "services/toolbox/toolbox_files.h"

namespace agentgate::desktop {
namespace {

namespace pb = admin::v1;
namespace tb = toolbox;
using Stub = pb::AdminService::Stub;

QString Q(const std::string& s) { return QString::fromStdString(s); }

QStringList Strings(const std::vector<std::string>& v) {
  QStringList out;
  for (const auto& s : v) out << Q(s);
  return out;
}

struct ToolboxReply {
  QString error;
  QString done;
  QStringList notes;
  bool listed = false;
  QVariantList servers;
  QVariantList skills;
  QVariantList clients;
};

struct Lists {
  std::vector<pb::McpServer> servers;
  std::vector<pb::Skill> skills;
};

// Both lists; the skills with their files when a sync is to copy them.
CallResult ReadLists(AdminWorker& w, Lists* out, bool with_files) {
  pb::ListMcpServersResponse servers;
  CallResult r = w.call(&Stub::ListMcpServers, pb::ListMcpServersRequest(), &servers);
  if (!r.ok) return r;
  pb::ListSkillsRequest req;
  req.set_with_files(with_files);
  pb::ListSkillsResponse skills;
  r = w.call(&Stub::ListSkills, req, &skills, std::chrono::seconds(30));
  if (!r.ok) return r;
  out->servers.assign(servers.servers().begin(), servers.servers().end());
  out->skills.assign(skills.skills().begin(), skills.skills().end());
  return r;
}

bool Has(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

QString State(bool goes, bool cannot, const tb::ClientView& v, const std::string& name) {
  if (Has(v.theirs, name)) return "own";
  if (Has(v.ours, name)) return goes ? "ours" : "missing";  // to be taken out at the next sync
  if (!goes) return "off";
  return cannot ? "cannot" : "missing";
}

void Fill(ToolboxReply& r, const tb::ToolboxFiles& files, const Lists& lists) {
  std::vector<tb::ClientView> mcp, skills;
  for (const auto& c : tb::McpClients()) {
    mcp.push_back(files.ViewMcp(c));
    skills.push_back(files.ViewSkills(c));
  }
  for (const auto& s : lists.servers) {
    QVariantMap state;
    for (const auto& v : mcp) {
      const bool cannot = v.client == "codex" && s.transport() == pb::MCP_TRANSPORT_SSE;
      state[Q(v.client)] = State(tb::ServerGoesTo(s, v.client), cannot, v, s.name());
    }
    QString runs;
    if (s.transport() == pb::MCP_TRANSPORT_STDIO) {
      runs = Q(s.command());
      for (const auto& a : s.args()) runs += " " + Q(a);
    } else {
      runs = Q(s.url());
    }
    QStringList env, headers, clients;
    for (const auto& e : s.env()) env << Q(e.name());
    for (const auto& h : s.headers()) headers << Q(h.name());
    for (const auto& c : s.clients()) clients << Q(c);
    r.servers.append(QVariantMap{{"name", Q(s.name())},
                                 {"transport", s.transport() == pb::MCP_TRANSPORT_STDIO ? "stdio"
                                               : s.transport() == pb::MCP_TRANSPORT_SSE ? "sse"
                                                                                        : "http"},
                                 {"runs", runs},
                                 {"disabled", s.disabled()},
                                 {"origin", Q(s.origin())},
                                 {"envNames", env},
                                 {"headerNames", headers},
                                 {"clients", clients},
                                 {"state", state}});
  }
  for (const auto& s : lists.skills) {
    QVariantMap state;
    for (const auto& v : skills)
      state[Q(v.client)] = State(tb::SkillGoesTo(s, v.client), false, v, s.name());
    QStringList clients;
    for (const auto& c : s.clients()) clients << Q(c);
    r.skills.append(QVariantMap{{"name", Q(s.name())},
                                {"description", Q(s.description())},
                                {"files", s.file_count()},
                                {"bytes", static_cast<qint64>(s.total_bytes())},
                                {"disabled", s.disabled()},
                                {"origin", Q(s.origin())},
                                {"clients", clients},
                                {"state", state}});
  }
  for (size_t i = 0; i < mcp.size(); ++i) {
    const auto kind = clientconf::ParseClientKind(mcp[i].client);
    r.clients.append(
        QVariantMap{{"client", Q(mcp[i].client)},
                    {"title", kind ? Q(clientconf::ClientTitle(*kind)) : Q(mcp[i].client)},
                    {"mcpPath", Q(mcp[i].path)},
                    {"skillsPath", Q(skills[i].path)},
                    {"installed", mcp[i].installed},
                    {"target", files.IsTarget(mcp[i].client)},
                    {"ownServers", Strings(mcp[i].theirs)},
                    {"ownSkills", Strings(skills[i].theirs)},
                    {"editedSince", mcp[i].edited_since},
                    {"error", Q(mcp[i].error.empty() ? skills[i].error : mcp[i].error)}});
  }
}

// Writes both lists into every target client; the first failure, or "".
QString SyncAll(tb::ToolboxFiles& files, const Lists& lists, QStringList* notes) {
  QString error;
  for (const auto& c : tb::Targets(files)) {
    auto m = files.SyncMcp(c, lists.servers, false);
    auto s = files.SyncSkills(c, lists.skills, false);
    for (const auto* r : {&m, &s}) {
      if (!r->ok()) {
        if (error.isEmpty()) error = Q(c) + ": " + Q(std::string(r->status().message()));
        continue;
      }
      for (const auto& n : (*r)->notes) *notes << Q(c) + ": " + Q(n);
    }
  }
  return error;
}

}  // namespace

void Backend::RunToolbox(std::function<QString(AdminWorker& w, QString* done)> action, bool sync) {
  worker_->post(
      [action = std::move(action), sync](AdminWorker& w) {
        ToolboxReply r;
        tb::ToolboxFiles files(w.home(), clientconf::Locations::FromEnvironment());
        if (action) r.error = action(w, &r.done);
        Lists lists;
        CallResult listed = ReadLists(w, &lists, sync && r.error.isEmpty());
        r.listed = listed.ok;
        if (!listed.ok) {
          if (r.error.isEmpty() && action) r.error = listed.error;
          return r;
        }
        if (r.error.isEmpty() && sync) r.error = SyncAll(files, lists, &r.notes);
        Fill(r, files, lists);
        return r;
      },
      [this, reporting = bool(action)](ToolboxReply r) {
        if (r.listed) {
          mcp_servers_ = std::move(r.servers);
          skills_ = std::move(r.skills);
          toolbox_clients_ = std::move(r.clients);
          emit toolboxChanged();
        }
        if (!r.error.isEmpty()) {
          Fail(r.error);
        } else if (reporting) {
          QString message = r.done;
          if (!r.notes.isEmpty()) message += "\n" + r.notes.join("\n");
          Succeed(message);
        }
      });
}

void Backend::refreshToolbox() { RunToolbox(nullptr, false); }

void Backend::syncToolbox() {
  RunToolbox(
      [](AdminWorker&, QString* done) {
        *done = tr("MCP servers and skills written into the clients");
        return QString();
      },
      true);
}

void Backend::addMcpServer(const QVariantMap& fields) {
  pb::PutMcpServerRequest req;
  pb::McpServer& s = *req.mutable_server();
  s.set_name(fields.value("name").toString().trimmed().toStdString());
  const QString url = fields.value("url").toString().trimmed();
  if (!url.isEmpty()) {
    s.set_url(url.toStdString());
    s.set_transport(fields.value("sse").toBool() ? pb::MCP_TRANSPORT_SSE : pb::MCP_TRANSPORT_HTTP);
  } else {
    s.set_command(fields.value("command").toString().trimmed().toStdString());
    for (const QString& a : fields.value("args").toStringList()) s.add_args(a.toStdString());
  }
  for (const QVariant& v : fields.value("env").toList()) {
    const QVariantMap m = v.toMap();
    if (m.value("name").toString().isEmpty()) continue;
    auto* e = s.add_env();
    e->set_name(m.value("name").toString().trimmed().toStdString());
    e->set_value(m.value("value").toString().toStdString());
  }
  for (const QVariant& v : fields.value("headers").toList()) {
    const QVariantMap m = v.toMap();
    if (m.value("name").toString().isEmpty()) continue;
    auto* h = s.add_headers();
    h->set_name(m.value("name").toString().trimmed().toStdString());
    h->set_value(m.value("value").toString().toStdString());
  }
  for (const QString& c : fields.value("clients").toStringList()) s.add_clients(c.toStdString());
  req.set_create_only(!fields.value("replace").toBool());
  if (auto st = tb::NormalizeMcpServer(s); !st.ok()) {
    Fail(Q(std::string(st.message())));
    return;
  }
  RunToolbox(
      [req](AdminWorker& w, QString* done) {
        pb::McpServer put;
        CallResult r = w.call(&Stub::PutMcpServer, req, &put);
        if (!r.ok) return r.error;
        *done = tr("MCP server %1 added").arg(Q(put.name()));
        return QString();
      },
      true);
}

void Backend::removeMcpServer(const QString& name) {
  pb::RemoveMcpServerRequest req;
  req.set_name(name.toStdString());
  RunToolbox(
      [req, name](AdminWorker& w, QString* done) {
        pb::RemoveMcpServerResponse resp;
        CallResult r = w.call(&Stub::RemoveMcpServer, req, &resp);
        if (!r.ok) return r.error;
        *done = tr("MCP server %1 removed from the clients").arg(name);
        return QString();
      },
      true);
}

void Backend::setMcpServerEnabled(const QString& name, bool enabled) {
  RunToolbox(
      [name, enabled](AdminWorker& w, QString* done) {
        pb::ListMcpServersResponse list;
        CallResult r = w.call(&Stub::ListMcpServers, pb::ListMcpServersRequest(), &list);
        if (!r.ok) return r.error;
        pb::PutMcpServerRequest req;
        for (const auto& s : list.servers()) {
          if (Q(s.name()) == name) *req.mutable_server() = s;
        }
        if (req.server().name().empty()) return tr("No MCP server %1").arg(name);
        req.mutable_server()->set_disabled(!enabled);
        pb::McpServer put;
        r = w.call(&Stub::PutMcpServer, req, &put);
        if (!r.ok) return r.error;
        *done = enabled ? tr("MCP server %1 on").arg(name) : tr("MCP server %1 off").arg(name);
        return QString();
      },
      true);
}

void Backend::addSkill(const QString& folder) {
  const QString dir = folder.startsWith("file:") ? QUrl(folder).toLocalFile() : folder;
  RunToolbox(
      [dir](AdminWorker& w, QString* done) {
        auto skill = tb::ReadSkillFolder(dir.toStdString());
        if (!skill.ok()) return Q(std::string(skill.status().message()));
        pb::PutSkillRequest req;
        *req.mutable_skill() = *skill;
        req.set_create_only(true);
        pb::Skill put;
        CallResult r = w.call(&Stub::PutSkill, req, &put, std::chrono::seconds(30));
        if (!r.ok) return r.error;
        *done = tr("Skill %1 added").arg(Q(put.name()));
        return QString();
      },
      true);
}

void Backend::removeSkill(const QString& name) {
  pb::RemoveSkillRequest req;
  req.set_name(name.toStdString());
  RunToolbox(
      [req, name](AdminWorker& w, QString* done) {
        pb::RemoveSkillResponse resp;
        CallResult r = w.call(&Stub::RemoveSkill, req, &resp);
        if (!r.ok) return r.error;
        *done = tr("Skill %1 removed from the clients").arg(name);
        return QString();
      },
      true);
}

void Backend::setSkillEnabled(const QString& name, bool enabled) {
  RunToolbox(
      [name, enabled](AdminWorker& w, QString* done) {
        pb::ListSkillsRequest list_req;
        list_req.set_with_files(true);
        pb::ListSkillsResponse list;
        CallResult r = w.call(&Stub::ListSkills, list_req, &list, std::chrono::seconds(30));
        if (!r.ok) return r.error;
        pb::PutSkillRequest req;
        for (const auto& s : list.skills()) {
          if (Q(s.name()) == name) *req.mutable_skill() = s;
        }
        if (req.skill().name().empty()) return tr("No skill %1").arg(name);
        req.mutable_skill()->set_disabled(!enabled);
        pb::Skill put;
        r = w.call(&Stub::PutSkill, req, &put, std::chrono::seconds(30));
        if (!r.ok) return r.error;
        *done = enabled ? tr("Skill %1 on").arg(name) : tr("Skill %1 off").arg(name);
        return QString();
      },
      true);
}

void Backend::importToolbox() {
  RunToolbox(
      [](AdminWorker& w, QString* done) {
        tb::ToolboxFiles files(w.home(), clientconf::Locations::FromEnvironment());
        Lists lists;
        CallResult r = ReadLists(w, &lists, false);
        if (!r.ok) return r.error;
        std::vector<std::string> servers, skills, notes;
        for (const auto& s : lists.servers) servers.push_back(s.name());
        for (const auto& s : lists.skills) skills.push_back(s.name());
        int count = 0;
        const auto targets = tb::Targets(files);
        for (const auto& s : tb::ServersToImport(files, targets, servers, &notes)) {
          pb::PutMcpServerRequest req;
          *req.mutable_server() = s;
          req.set_create_only(true);
          pb::McpServer put;
          if (w.call(&Stub::PutMcpServer, req, &put).ok) ++count;
        }
        for (const auto& s : tb::SkillsToImport(files, targets, skills, &notes)) {
          pb::PutSkillRequest req;
          *req.mutable_skill() = s;
          req.set_create_only(true);
          pb::Skill put;
          if (w.call(&Stub::PutSkill, req, &put, std::chrono::seconds(30)).ok) ++count;
        }
        *done = tr("%n imported from the clients", nullptr, count);
        for (const auto& n : notes) *done += "\n" + Q(n);
        return QString();
      },
      true);
}

void Backend::restoreToolbox(const QString& client) {
  RunToolbox(
      [client](AdminWorker& w, QString* done) {
        tb::ToolboxFiles files(w.home(), clientconf::Locations::FromEnvironment());
        const std::string c = client.toStdString();
        if (!tb::IsMcpClient(c)) return tr("Unknown client %1").arg(client);
        auto m = files.SyncMcp(c, {}, false);
        if (!m.ok()) return Q(std::string(m.status().message()));
        auto s = files.SyncSkills(c, {}, false);
        if (!s.ok()) return Q(std::string(s.status().message()));
        *done = tr("The gateway's MCP servers and skills are out of %1").arg(client);
        for (const auto& n : s->notes) *done += "\n" + Q(n);
        return QString();
      },
      false);
}

}  // namespace agentgate::desktop
