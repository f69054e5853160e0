#include "services/toolbox/rules.h"

#include <gtest/gtest.h>

namespace agentgate::toolbox {
namespace {

admin::v1::McpServer Server(const std::string& name, const std::string& command,
                            const std::string& url = "") {
  admin::v1::McpServer s;
  s.set_name(name);
  s.set_command(command);
  s.set_url(url);
  return s;
}

absl::StatusCode Code(admin::v1::McpServer s) { return NormalizeMcpServer(s).code(); }

TEST(McpRulesTest, TheTransportFollowsWhatIsGiven) {
  auto s = Server(" github ", " npx ");
  ASSERT_TRUE(NormalizeMcpServer(s).ok());
  EXPECT_EQ(s.name(), "github");
  EXPECT_EQ(s.command(), "npx");
  EXPECT_EQ(s.transport(), admin::v1::MCP_TRANSPORT_STDIO);
  auto r = Server("docs", "", "https://mcp.example.com/mcp");
  ASSERT_TRUE(NormalizeMcpServer(r).ok());
  EXPECT_EQ(r.transport(), admin::v1::MCP_TRANSPORT_HTTP);
  EXPECT_EQ(Code(Server("none", "")), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Code(Server("both", "npx", "https://x.example/mcp")),
            absl::StatusCode::kInvalidArgument);
  auto sse_cmd = Server("x", "npx");
  sse_cmd.set_transport(admin::v1::MCP_TRANSPORT_SSE);
  EXPECT_EQ(Code(sse_cmd), absl::StatusCode::kInvalidArgument);
  // Codex refuses its whole config over an environment on a URL server.
  auto remote_env = Server("x", "", "https://a.example/mcp");
  remote_env.add_env()->set_name("TOKEN");
  EXPECT_EQ(Code(remote_env), absl::StatusCode::kInvalidArgument);
  auto weird = Server("x", "npx");
  weird.set_transport(static_cast<admin::v1::McpTransport>(42));
  EXPECT_EQ(Code(weird), absl::StatusCode::kInvalidArgument);
}

TEST(McpRulesTest, NamesAreKeysInEveryClientsFile) {
  for (const char* ok : {"a", "github", "my_server-2", "A1"}) {
    EXPECT_TRUE(NormalizeMcpServer(*std::make_unique<admin::v1::McpServer>(Server(ok, "x"))).ok())
        << ok;
  }
  // A dot would be a TOML sub-table, a quote or bracket breaks out of a key, a slash a path.
  for (const char* bad : {"", "a.b", "a b", "a\"b", "a]b", "../x", "a/b", "é", "a\nb"}) {
    EXPECT_EQ(Code(Server(bad, "x")), absl::StatusCode::kInvalidArgument) << bad;
  }
  EXPECT_EQ(Code(Server(std::string(65, 'a'), "x")), absl::StatusCode::kInvalidArgument);
}

TEST(McpRulesTest, NothingCanBreakOutOfALineOrAHeader) {
  auto cmd = Server("x", "npx\n[mcp_servers.evil]");
  EXPECT_EQ(Code(cmd), absl::StatusCode::kInvalidArgument);
  auto url = Server("x", "", "https://a.example/mcp\r\nX-Evil: 1");
  EXPECT_EQ(Code(url), absl::StatusCode::kInvalidArgument);
  for (const char* u : {"file:///etc/passwd", "ftp://x/y", "https://", "https:///path", "x"}) {
    EXPECT_EQ(Code(Server("x", "", u)), absl::StatusCode::kInvalidArgument) << u;
  }
  auto header = Server("x", "", "https://a.example/mcp");
  auto* h = header.add_headers();
  h->set_name("Authorization");
  h->set_value("Bearer x\r\nHost: evil");
  EXPECT_EQ(Code(header), absl::StatusCode::kInvalidArgument);
  auto header_name = Server("x", "", "https://a.example/mcp");
  header_name.add_headers()->set_name("Bad Name");
  EXPECT_EQ(Code(header_name), absl::StatusCode::kInvalidArgument);
  auto arg = Server("x", "npx");
  arg.add_args(std::string("a\0b", 3));
  EXPECT_EQ(Code(arg), absl::StatusCode::kInvalidArgument);
  auto env = Server("x", "npx");
  env.add_env()->set_name("1BAD");
  EXPECT_EQ(Code(env), absl::StatusCode::kInvalidArgument);
  auto twice = Server("x", "npx");
  twice.add_env()->set_name("A");
  twice.add_env()->set_name("A");
  EXPECT_EQ(Code(twice), absl::StatusCode::kInvalidArgument);
  auto args = Server("x", "npx");
  for (int i = 0; i < 65; ++i) args.add_args("a");
  EXPECT_EQ(Code(args), absl::StatusCode::kInvalidArgument);
  // Arguments may hold anything else: spaces, quotes, newlines are the command's business.
  auto fine = Server("x", "sh");
  fine.add_args("-c");
  fine.add_args("echo \"hi\" 'there'\nexit 0");
  EXPECT_TRUE(NormalizeMcpServer(fine).ok());
}

TEST(McpRulesTest, ClientsAreKnownNamesInOneOrder) {
  auto s = Server("x", "npx");
  s.add_clients("OpenCode");
  s.add_clients("codex");
  s.add_clients("codex");
  s.add_clients("all");
  ASSERT_TRUE(NormalizeMcpServer(s).ok());
  ASSERT_EQ(s.clients_size(), 2);
  EXPECT_EQ(s.clients(0), "codex");
  EXPECT_EQ(s.clients(1), "opencode");
  EXPECT_TRUE(ServerGoesTo(s, "codex"));
  EXPECT_FALSE(ServerGoesTo(s, "claude"));
  s.set_disabled(true);
  EXPECT_FALSE(ServerGoesTo(s, "codex"));
  auto bad = Server("x", "npx");
  bad.add_clients("cursor");
  EXPECT_EQ(Code(bad), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(ServerGoesTo(Server("y", "npx"), "gemini"));  // no list: every client
}

TEST(SkillRulesTest, FrontMatterIsReadAsTheClientsReadIt) {
  auto plain =
      ParseSkillFrontMatter("---\nname: pdf\ndescription: Reads PDFs # a comment\n---\nbody");
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(plain->name, "pdf");
  EXPECT_EQ(plain->description, "Reads PDFs");
  auto quoted = ParseSkillFrontMatter(
      "\xEF\xBB\xBF---\r\nname: 'pdf'\r\ndescription: \"Say \\\"hi\\\": it's fine\"\r\n---\r\n");
  ASSERT_TRUE(quoted.ok()) << quoted.status();
  EXPECT_EQ(quoted->name, "pdf");
  EXPECT_EQ(quoted->description, "Say \"hi\": it's fine");
  auto folded = ParseSkillFrontMatter(
      "---\nname: pdf\ndescription: >\n  Line one\n  line two\nlicense: MIT\n---\n");
  ASSERT_TRUE(folded.ok());
  EXPECT_EQ(folded->description, "Line one line two");
  auto literal = ParseSkillFrontMatter("---\ndescription: |\n  a\n  b\nname: pdf\n---\n");
  ASSERT_TRUE(literal.ok());
  EXPECT_EQ(literal->description, "a\nb");
  EXPECT_FALSE(ParseSkillFrontMatter("# no front matter").ok());
  EXPECT_FALSE(ParseSkillFrontMatter("---\nname: pdf\ndescription: x\n").ok());  // not closed
  EXPECT_FALSE(ParseSkillFrontMatter("---\nname: pdf\n---\n").ok());
  EXPECT_FALSE(ParseSkillFrontMatter("---\ndescription: x\n---\n").ok());
  EXPECT_FALSE(ParseSkillFrontMatter("").ok());
}

TEST(SkillRulesTest, PathsStayInsideTheFolder) {
  for (const char* ok : {"SKILL.md", "scripts/run.sh", "a/b/c.txt", ".hidden", "a..b"}) {
    EXPECT_TRUE(IsSafeSkillPath(ok)) << ok;
  }
  for (const char* bad : {"", "/etc/passwd", "../x", "a/../../x", "a/./b", "./a", "a//b", "a/",
                          "a\\b", "a\nb", "a\tb"}) {
    EXPECT_FALSE(IsSafeSkillPath(bad)) << bad;
  }
  EXPECT_FALSE(IsSafeSkillPath(std::string(256, 'a')));
}

admin::v1::Skill SkillWith(const std::string& md) {
  admin::v1::Skill s;
  auto* f = s.add_files();
  f->set_path("SKILL.md");
  f->set_content(md);
  return s;
}

TEST(SkillRulesTest, ASkillIsNamedByItsSkillMd) {
  auto s = SkillWith("---\nname: pdf-tools\ndescription: PDFs\n---\n");
  auto* other = s.add_files();
  other->set_path("a.txt");
  other->set_content("x");
  std::swap(*s.mutable_files(0), *s.mutable_files(1));  // SKILL.md not first
  ASSERT_TRUE(NormalizeSkill(s).ok());
  EXPECT_EQ(s.name(), "pdf-tools");
  EXPECT_EQ(s.files(0).path(), "SKILL.md");
  EXPECT_EQ(s.file_count(), 2);
  EXPECT_EQ(s.total_bytes(), static_cast<int64_t>(s.files(0).content().size() + 1));
  for (const char* name : {"PDF", "pdf--tools", "-pdf", "pdf-", "pdf tools", "pdf/x", ""}) {
    auto bad = SkillWith("---\nname: '" + std::string(name) + "'\ndescription: x\n---\n");
    EXPECT_EQ(NormalizeSkill(bad).code(), absl::StatusCode::kInvalidArgument) << name;
  }
  auto renamed = SkillWith("---\nname: pdf\ndescription: x\n---\n");
  renamed.set_name("other");
  EXPECT_EQ(NormalizeSkill(renamed).code(), absl::StatusCode::kInvalidArgument);
  admin::v1::Skill none;
  none.add_files()->set_path("README.md");
  EXPECT_EQ(NormalizeSkill(none).code(), absl::StatusCode::kInvalidArgument);
  auto control = SkillWith("---\nname: pdf\ndescription: \"a\\u0007\"\n---\n");
  control.mutable_files(0)->set_content("---\nname: pdf\ndescription: a\x07z\n---\n");
  EXPECT_EQ(NormalizeSkill(control).code(), absl::StatusCode::kInvalidArgument);
  auto long_description =
      SkillWith("---\nname: pdf\ndescription: " + std::string(1025, 'd') + "\n---\n");
  EXPECT_EQ(NormalizeSkill(long_description).code(), absl::StatusCode::kInvalidArgument);
}

TEST(SkillRulesTest, LimitsAndConflictsAreRefused) {
  auto big = SkillWith("---\nname: pdf\ndescription: x\n---\n");
  big.add_files()->set_path("big.bin");
  big.mutable_files(1)->set_content(std::string(kMaxSkillBytes, 'x'));
  EXPECT_EQ(NormalizeSkill(big).code(), absl::StatusCode::kInvalidArgument);
  auto many = SkillWith("---\nname: pdf\ndescription: x\n---\n");
  for (size_t i = 0; i < kMaxSkillFiles; ++i) many.add_files()->set_path("f" + std::to_string(i));
  EXPECT_EQ(NormalizeSkill(many).code(), absl::StatusCode::kInvalidArgument);
  auto twice = SkillWith("---\nname: pdf\ndescription: x\n---\n");
  twice.add_files()->set_path("a");
  twice.add_files()->set_path("a");
  EXPECT_EQ(NormalizeSkill(twice).code(), absl::StatusCode::kInvalidArgument);
  auto file_and_folder = SkillWith("---\nname: pdf\ndescription: x\n---\n");
  file_and_folder.add_files()->set_path("a");
  file_and_folder.add_files()->set_path("a/b/c");
  EXPECT_EQ(NormalizeSkill(file_and_folder).code(), absl::StatusCode::kInvalidArgument);
}

TEST(SkillRulesTest, TheDigestSeesPathsModesAndContents) {
  auto a = SkillWith("---\nname: pdf\ndescription: x\n---\n");
  a.add_files()->set_path("run.sh");
  ASSERT_TRUE(NormalizeSkill(a).ok());
  auto b = a;
  b.mutable_files(1)->set_executable(true);
  EXPECT_NE(SkillDigest(a), SkillDigest(b));
  auto c = a;
  c.mutable_files(1)->set_path("run2.sh");
  EXPECT_NE(SkillDigest(a), SkillDigest(c));
  // Length-prefixed: moving bytes between path and content changes it.
  auto d = a;
  d.mutable_files(1)->set_path("run.s");
  d.mutable_files(1)->set_content("h");
  EXPECT_NE(SkillDigest(a), SkillDigest(d));
  EXPECT_EQ(SkillDigest(a), a.sha256());
}

}  // namespace
}  // namespace agentgate::toolbox
