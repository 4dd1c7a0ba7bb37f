package dev.ancla.source.drive;

import dev.ancla.bench.drive.FakeDrive;
import dev.ancla.source.Source;
import dev.ancla.source.SourceContract;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;

/** The Drive source passes the source contract against the local Drive server. */
class DriveSourceContractTest extends SourceContract {
  private FakeDrive drive;
  private FakeDrive.Node root;

  @Override
  protected Source source() throws IOException {
    drive = new FakeDrive();
    root = drive.folder("Ancla root", null);
    drive.share(root.id);
    return DriveFixtures.source(drive, root.id);
  }

  @AfterEach
  void stop() {
    if (drive != null) {
      drive.close();
    }
  }

  @Override
  protected void put(String path, String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    FakeDrive.Node existing = find(path);
    if (existing != null) {
      drive.update(existing, bytes);
      return;
    }
    drive.file(name(path), folderFor(path).id, "text/plain", bytes);
  }

  @Override
  protected void delete(String path) {
    drive.delete(find(path));
  }

  @Override
  protected void rename(String from, String to) {
    FakeDrive.Node node = find(from);
    drive.move(node, folderFor(to).id);
    drive.rename(node, name(to));
  }

  @Override
  protected Source unreachable() throws IOException {
    drive = new FakeDrive();
    root = drive.folder("not shared", null);
    return DriveFixtures.source(drive, root.id);
  }

  @Override
  protected boolean renameKeepsId() {
    return true;
  }

  private static String name(String path) {
    return path.substring(path.lastIndexOf('/') + 1);
  }

  private FakeDrive.Node folderFor(String path) {
    FakeDrive.Node at = root;
    String[] parts = path.split("/");
    for (int i = 0; i < parts.length - 1; i++) {
      FakeDrive.Node next = child(at, parts[i]);
      at = next != null ? next : drive.folder(parts[i], at.id);
    }
    return at;
  }

  private FakeDrive.Node find(String path) {
    FakeDrive.Node at = root;
    for (String part : path.split("/")) {
      at = at == null ? null : child(at, part);
    }
    return at;
  }

  private FakeDrive.Node child(FakeDrive.Node folder, String name) {
    return drive.childNamed(folder.id, name);
  }
}
