package dev.ancla.source;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FolderSourceTest {
  @TempDir Path dir;

  private List<String> paths(FolderSource source) throws Exception {
    var listing = assertInstanceOf(Listing.Full.class, source.list(Optional.empty()));
    return listing.items().stream().map(SourceItem::path).toList();
  }

  @Test
  void listsRecursivelySortedWithRelativePaths() throws Exception {
    Path root = Files.createDirectories(dir.resolve("root"));
    Files.writeString(Files.createDirectories(root.resolve("b/c")).resolve("deep.txt"), "x");
    Files.writeString(root.resolve("a.txt"), "hello");
    Files.writeString(root.resolve("informe final ñandú 📄.txt"), "y");
    var source = new FolderSource("docs", root, List.of(), List.of(), List.of());
    assertEquals(List.of("a.txt", "b/c/deep.txt", "informe final ñandú 📄.txt"), paths(source));
    SourceItem a = ((Listing.Full) source.list(Optional.empty())).items().getFirst();
    assertEquals(5, a.size());
    assertEquals("a.txt", a.id());
    assertEquals(
        dev.ancla.index.RegistryEntry.folderVersion(
            5, Files.getLastModifiedTime(root.resolve("a.txt")).toMillis()),
        a.version(),
        "the version older indexes stored as size and time");
    try (Fetched fetched = source.fetch(a, 100)) {
      assertEquals(root.resolve("a.txt").toRealPath(), fetched.file());
    }
    assertTrue(Files.exists(root.resolve("a.txt")), "closing deletes nothing");
  }

  @Test
  void skipsHiddenFilesAndFoldersAndOfficeLockFiles() throws Exception {
    Path root = Files.createDirectories(dir.resolve("root"));
    Files.writeString(root.resolve(".secret.txt"), "x");
    Files.writeString(Files.createDirectories(root.resolve(".git")).resolve("config"), "x");
    Files.writeString(root.resolve("visible.txt"), "x");
    Files.writeString(root.resolve("~$visible.docx"), "office lock file");
    assertEquals(
        List.of("visible.txt"),
        paths(new FolderSource("d", root, List.of(), List.of(), List.of())));
  }

  @Test
  void followsLinksInsideTheRootButNotOutsideOrInLoops() throws Exception {
    Path root = Files.createDirectories(dir.resolve("root"));
    Path outside = Files.createDirectories(dir.resolve("outside"));
    Files.writeString(outside.resolve("leak.txt"), "x");
    Files.writeString(Files.createDirectories(root.resolve("real")).resolve("in.txt"), "x");
    Files.createSymbolicLink(root.resolve("out-link"), outside);
    Files.createSymbolicLink(root.resolve("file-out.txt"), outside.resolve("leak.txt"));
    Files.createSymbolicLink(root.resolve("real/loop"), root);
    Files.createSymbolicLink(root.resolve("alias"), root.resolve("real"));
    var found = paths(new FolderSource("d", root, List.of(), List.of(), List.of()));
    assertTrue(found.contains("real/in.txt"), found.toString());
    assertTrue(found.contains("alias/in.txt"), found.toString());
    assertTrue(found.stream().noneMatch(p -> p.contains("leak")), found.toString());
  }

  @Test
  void includeAndExcludeGlobsMatchRelativePaths() throws Exception {
    Path root = Files.createDirectories(dir.resolve("root"));
    Files.writeString(root.resolve("a.pdf"), "x");
    Files.writeString(Files.createDirectories(root.resolve("sub")).resolve("b.pdf"), "x");
    Files.writeString(root.resolve("sub/c.txt"), "x");
    Files.writeString(Files.createDirectories(root.resolve("drafts")).resolve("d.pdf"), "x");
    var source = new FolderSource("d", root, List.of("**/*.pdf"), List.of("drafts/**"), List.of());
    assertEquals(List.of("a.pdf", "sub/b.pdf"), paths(source));
  }

  @Test
  void skipsTheDataDirectoryInsideTheRoot() throws Exception {
    Path root = Files.createDirectories(dir.resolve("root"));
    Files.writeString(Files.createDirectories(root.resolve("data/index")).resolve("_0.cfs"), "x");
    Files.writeString(root.resolve("doc.txt"), "x");
    var source = new FolderSource("d", root, List.of(), List.of(), List.of(root.resolve("data")));
    assertEquals(List.of("doc.txt"), paths(source));
  }

  @Test
  void aMissingRootIsAnErrorNotAnEmptyListing() {
    var source = new FolderSource("d", dir.resolve("gone"), List.of(), List.of(), List.of());
    var e = assertThrows(SourceException.class, () -> source.list(Optional.empty()));
    assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
    assertThrows(SourceException.class, source::check);
  }

  @Test
  void deepNestingIsListed() throws Exception {
    Path root = Files.createDirectories(dir.resolve("root"));
    Path deep = root;
    for (int i = 0; i < 40; i++) {
      deep = deep.resolve("n" + i);
    }
    Files.createDirectories(deep);
    Files.writeString(deep.resolve("bottom.txt"), "x");
    var found = paths(new FolderSource("d", root, List.of(), List.of(), List.of()));
    assertEquals(1, found.size());
    assertTrue(found.getFirst().endsWith("n39/bottom.txt"));
  }
}
