#include "services/edge/record_spool.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "tests/common/temp_dir.h"

namespace agentgate::edge {
namespace {

namespace fs = std::filesystem;

admin::v1::RequestLog Rec(int i) {
  admin::v1::RequestLog r;
  r.set_request_id("req_" + std::to_string(i));
  r.set_path("/v1/chat/completions");
  r.set_status(200);
  r.set_input_tokens(i);
  return r;
}

std::vector<std::string> Ids(const RecordSpool::Batch& b) {
  std::vector<std::string> out;
  for (const auto& r : b.records) out.push_back(r.request_id());
  return out;
}

// Everything the spool hands out, acknowledging as it goes.
std::vector<std::string> Drain(RecordSpool& spool, size_t batch = 7) {
  std::vector<std::string> all;
  for (;;) {
    RecordSpool::Batch b = spool.Next(batch, SIZE_MAX);
    if (b.records.empty()) return all;
    for (auto& id : Ids(b)) all.push_back(id);
    spool.Acknowledge(b.end);
  }
}

std::vector<std::string> Expected(int from, int to) {
  std::vector<std::string> out;
  for (int i = from; i < to; ++i) out.push_back("req_" + std::to_string(i));
  return out;
}

std::unique_ptr<RecordSpool> OpenSpool(const std::string& dir, uint64_t segment_bytes = 8u << 20,
                                       uint64_t max_bytes = 1ull << 30) {
  RecordSpool::Options o;
  o.dir = dir;
  o.segment_bytes = segment_bytes;
  o.max_bytes = max_bytes;
  auto s = RecordSpool::Open(o);
  EXPECT_TRUE(s.ok()) << s.status();
  return s.ok() ? *std::move(s) : nullptr;
}

TEST(RecordSpoolTest, AppendedRecordsComeBackInOrderUntilAcknowledged) {
  test::TempDir tmp;
  auto spool = OpenSpool(tmp.File("spool"));
  for (int i = 0; i < 10; ++i) ASSERT_TRUE(spool->Append(Rec(i)));
  EXPECT_GT(spool->pending_bytes(), 0u);
  RecordSpool::Batch b = spool->Next(4, SIZE_MAX);
  EXPECT_EQ(Ids(b), Expected(0, 4));
  // Not acknowledged: the same batch again.
  EXPECT_EQ(Ids(spool->Next(4, SIZE_MAX)), Expected(0, 4));
  spool->Acknowledge(b.end);
  EXPECT_EQ(Drain(*spool), Expected(4, 10));
  EXPECT_EQ(spool->pending_bytes(), 0u);
  EXPECT_TRUE(spool->Next(4, SIZE_MAX).records.empty());
  EXPECT_EQ(
      (fs::perms::group_all | fs::perms::others_all) & fs::status(tmp.File("spool")).permissions(),
      fs::perms::none);
}

TEST(RecordSpoolTest, SegmentsRollOverAndSpentOnesAreRemoved) {
  test::TempDir tmp;
  auto spool = OpenSpool(tmp.File("spool"), /*segment_bytes=*/200);
  for (int i = 0; i < 100; ++i) ASSERT_TRUE(spool->Append(Rec(i)));
  size_t segments = 0;
  for (const auto& e : fs::directory_iterator(spool->own_dir())) {
    segments += e.path().filename().string().rfind("seg-", 0) == 0;
  }
  EXPECT_GT(segments, 10u);
  EXPECT_EQ(Drain(*spool, 13), Expected(0, 100));
  segments = 0;
  for (const auto& e : fs::directory_iterator(spool->own_dir())) {
    segments += e.path().filename().string().rfind("seg-", 0) == 0;
  }
  EXPECT_EQ(segments, 1u);  // only the one being written
}

// An edge that dies (kill -9: its lock goes with it) leaves its records; the next edge adopts
// them and ships them first, from where the dead one's acknowledgements ended.
TEST(RecordSpoolTest, ANewEdgeShipsWhatADeadOneLeft) {
  test::TempDir tmp;
  std::string dir = tmp.File("spool");
  {
    auto dead = OpenSpool(dir, /*segment_bytes=*/300);
    for (int i = 0; i < 20; ++i) ASSERT_TRUE(dead->Append(Rec(i)));
    RecordSpool::Batch b = dead->Next(6, SIZE_MAX);
    dead->Acknowledge(b.end);
    // A batch read and sent but not acknowledged when it died: sent again (stats ignores it).
    dead->Next(5, SIZE_MAX);
  }
  auto next = OpenSpool(dir);
  for (int i = 100; i < 103; ++i) ASSERT_TRUE(next->Append(Rec(i)));
  std::vector<std::string> want = Expected(6, 20);
  for (auto& id : Expected(100, 103)) want.push_back(id);
  EXPECT_EQ(Drain(*next), want);
  // The adopted folder is gone once shipped.
  size_t folders = 0;
  for (const auto& e : fs::directory_iterator(dir)) folders += e.is_directory();
  EXPECT_EQ(folders, 1u);
}

// A living edge's folder is never taken by another.
TEST(RecordSpoolTest, ALiveEdgesFolderIsNotAdopted) {
  test::TempDir tmp;
  std::string dir = tmp.File("spool");
  auto alive = OpenSpool(dir);
  ASSERT_TRUE(alive->Append(Rec(1)));
  auto other = OpenSpool(dir);
  other->AdoptOrphans();
  EXPECT_TRUE(other->Next(10, SIZE_MAX).records.empty());
  EXPECT_EQ(Drain(*alive), Expected(1, 2));
}

// A record torn by a crash (or a damaged file) ends its segment: the whole records before it
// are shipped, the damage is skipped and counted, later segments still ship.
TEST(RecordSpoolTest, DamagedTailIsSkipped) {
  test::TempDir tmp;
  std::string dir = tmp.File("spool");
  std::string dead_dir;
  {
    auto dead = OpenSpool(dir);
    for (int i = 0; i < 3; ++i) ASSERT_TRUE(dead->Append(Rec(i)));
    dead_dir = dead->own_dir();
  }
  {
    std::ofstream seg(dead_dir + "/seg-0.log", std::ios::app | std::ios::binary);
    seg << std::string("\x40\x00\x00\x00garbage", 11);  // a frame that claims 64 bytes
    std::ofstream next(dead_dir + "/seg-1.log", std::ios::binary);
  }
  {
    // seg-1 holds one good record written by a spool opened on a copy of the layout.
    test::TempDir other;
    auto writer = OpenSpool(other.File("spool"));
    ASSERT_TRUE(writer->Append(Rec(7)));
    fs::copy_file(writer->own_dir() + "/seg-0.log", dead_dir + "/seg-1.log",
                  fs::copy_options::overwrite_existing);
  }
  auto next = OpenSpool(dir);
  EXPECT_EQ(Drain(*next), (std::vector<std::string>{"req_0", "req_1", "req_2", "req_7"}));
  EXPECT_EQ(next->corrupt(), 1);
}

// A stop with everything shipped leaves no folder; one with records left does (for the next).
TEST(RecordSpoolTest, ACleanStopLeavesNothingBehind) {
  test::TempDir tmp;
  std::string dir = tmp.File("spool");
  {
    auto spool = OpenSpool(dir);
    ASSERT_TRUE(spool->Append(Rec(1)));
    Drain(*spool);
  }
  EXPECT_TRUE(fs::is_empty(dir));
  {
    auto spool = OpenSpool(dir);
    ASSERT_TRUE(spool->Append(Rec(2)));
  }
  EXPECT_FALSE(fs::is_empty(dir));
  auto next = OpenSpool(dir);
  EXPECT_EQ(Drain(*next), Expected(2, 3));
}

TEST(RecordSpoolTest, FullSpoolDropsAndCounts) {
  test::TempDir tmp;
  auto spool = OpenSpool(tmp.File("spool"), 8u << 20, /*max_bytes=*/200);
  int stored = 0;
  for (int i = 0; i < 20; ++i) stored += spool->Append(Rec(i));
  EXPECT_GT(stored, 0);
  EXPECT_LT(stored, 20);
  EXPECT_EQ(spool->dropped(), 20 - stored);
  EXPECT_LE(spool->pending_bytes(), 200u);
  Drain(*spool);
  EXPECT_TRUE(spool->Append(Rec(99)));  // room again once shipped
}

}  // namespace
}  // namespace agentgate::edge
