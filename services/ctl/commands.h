// agentgatectl's admin commands: provider, route, token, logs, events, status. Each takes the
// arguments after its name and returns the exit code; output goes to stdout, one-line errors to
// stderr.
#pragma once

#include <string>
#include <vector>

namespace agentgate::ctl {

int CmdProvider(const std::string& home, const std::vector<std::string>& args);
int CmdRoute(const std::string& home, const std::vector<std::string>& args);
int CmdToken(const std::string& home, const std::vector<std::string>& args);
int CmdLogs(const std::string& home, const std::vector<std::string>& args);
int CmdEvents(const std::string& home, const std::vector<std::string>& args);  // events_command.cc
int CmdStatus(const std::string& home, const std::vector<std::string>& args);
int CmdStats(const std::string& home, const std::vector<std::string>& args);
int CmdPrice(const std::string& home, const std::vector<std::string>& args);
int CmdBudget(const std::string& home, const std::vector<std::string>& args);
int CmdDoctor(const std::string& home, const std::vector<std::string>& args);
int CmdSetup(const std::string& home, const std::vector<std::string>& args);
int CmdClient(const std::string& home, const std::vector<std::string>& args);
int CmdBackup(const std::string& home, const std::vector<std::string>& args);  // backup_commands.cc
int CmdAccount(const std::string& home,
               const std::vector<std::string>& args);  // account_commands.cc
// toolbox_commands.cc
int CmdMcp(const std::string& home, const std::vector<std::string>& args);
int CmdSkill(const std::string& home, const std::vector<std::string>& args);

}  // namespace agentgate::ctl
