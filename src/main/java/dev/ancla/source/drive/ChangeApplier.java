package dev.ancla.source.drive;

import com.google.api.client.http.HttpResponseException;
import com.google.api.services.drive.model.Change;
import com.google.api.services.drive.model.File;
import dev.ancla.source.CursorExpiredException;
import dev.ancla.source.SourceException;
import dev.ancla.source.SourceItem;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns Drive changes into upserts and removals against the {@link FolderMap} of the previous sync.
 * Folders are applied first (all of them, so a folder and its parent moved in the same batch are
 * placed together); then every folder whose display path changed takes its subtree: a folder moved
 * or renamed inside scope, or moved in, has its subtree listed again (same ids, new paths: the sync
 * re-writes paths without embedding); a folder moved out, trashed or deleted has its subtree
 * removed. Files are then placed by their parent's chain.
 */
final class ChangeApplier {
  private static final Logger log = LoggerFactory.getLogger(ChangeApplier.class);

  private final DriveApi api;
  private final FolderMap before;
  private final FolderMap after;
  private final String describe;
  private final Map<String, SourceItem> upserts = new TreeMap<>();
  private final Set<String> removed = new TreeSet<>();

  ChangeApplier(DriveApi api, FolderMap before, String describe) {
    this.api = api;
    this.before = before;
    this.after = before.copy();
    this.describe = describe;
  }

  record Result(List<SourceItem> upserts, List<String> removedIds, FolderMap map) {}

  Result apply(List<Change> raw) throws IOException {
    var latest = new LinkedHashMap<String, Change>(); // Drive may report a file more than once
    for (Change change : raw) {
      if (change.getFileId() != null && !"drive".equals(change.getChangeType())) {
        latest.remove(change.getFileId());
        latest.put(change.getFileId(), change);
      }
    }
    rootStillThere(latest.get(before.rootId));
    var folderChanges = latest.values().stream().filter(this::isFolder).toList();
    for (Change change : folderChanges) {
      File file = change.getFile();
      if (gone(change)) {
        after.folders.remove(change.getFileId());
      } else if (!change.getFileId().equals(after.rootId)
          && !after.mounts.containsKey(file.getId())) {
        after.folders.put(
            file.getId(), new FolderMap.Folder(FolderMap.safe(file.getName()), parent(file)));
      }
    }
    for (Change change : folderChanges) {
      String id = change.getFileId();
      Optional<String> was = before.pathOf(id);
      Optional<String> now = after.pathOf(id);
      if (was.equals(now) || covered(id)) {
        continue;
      }
      if (now.isPresent()) {
        relist(id, now.get());
      } else {
        removeSubtree(id);
      }
    }
    for (Change change : latest.values()) {
      if (!isFolder(change)) {
        file(change);
      }
    }
    after.prune();
    removed.removeAll(upserts.keySet());
    return new Result(List.copyOf(upserts.values()), List.copyOf(removed), after);
  }

  private void rootStillThere(Change rootChange) throws SourceException {
    if (rootChange != null && gone(rootChange)) {
      throw new SourceException(
          describe
              + ": the root folder was trashed, deleted or unshared; nothing is removed from the"
              + " index. Restore it in Drive (or share it again), or remove the source from"
              + " ANCLA_SOURCES");
    }
  }

  /** Whether an ancestor whose path also changed takes care of this folder. */
  private boolean covered(String folderId) {
    FolderMap.Folder folder = after.folders.getOrDefault(folderId, before.folders.get(folderId));
    var seen = new HashSet<String>();
    while (folder != null && seen.add(folder.parent())) {
      String parent = folder.parent();
      if (!before.pathOf(parent).equals(after.pathOf(parent))) {
        return true;
      }
      folder = after.folders.getOrDefault(parent, before.folders.get(parent));
    }
    return false;
  }

  private void relist(String folderId, String path) throws IOException {
    var tree = new DriveTree(api, after, describe);
    // the folder's own entry stays; its descendants are walked again with their new paths
    tree.walk(folderId, path);
    upserts.putAll(tree.items);
    log.info(
        "{}: folder {} moved or renamed into {}; {} items re-placed",
        describe,
        folderId,
        path,
        tree.items.size());
  }

  /** Removes every file under a folder that left scope, as far as Drive still shows them. */
  private void removeSubtree(String folderId) throws IOException {
    try {
      api.get(folderId); // Drive lists an unreadable folder as empty: ask for the folder first
    } catch (HttpResponseException e) {
      if (DriveTree.gone(e)) {
        // deleted, or moved where the service account cannot see: its files cannot be listed one
        // by one any more, and Drive need not report each of them. A full listing finds exactly
        // what is left.
        throw new CursorExpiredException(
            describe
                + ": folder "
                + folderId
                + " left the service account's view with its contents; reconciling with a"
                + " full listing",
            e);
      }
      throw e;
    }
    var queue = new ArrayDeque<String>(List.of(folderId));
    var seen = new HashSet<String>();
    int count = 0;
    while (!queue.isEmpty()) {
      String id = queue.poll();
      if (!seen.add(id)) {
        continue;
      }
      after.folders.remove(id);
      List<File> children;
      try {
        children = api.children(id, true);
      } catch (HttpResponseException e) {
        if (DriveTree.gone(e)) {
          continue; // a subfolder removed meanwhile: its files are reported by the feed
        }
        throw e;
      }
      for (File child : children) {
        if (DriveApi.FOLDER.equals(child.getMimeType())) {
          queue.add(child.getId());
        } else if (DriveApi.SHORTCUT.equals(child.getMimeType())) {
          unlink(child.getId());
        } else {
          removed.add(child.getId());
          count++;
        }
      }
    }
    log.info("{}: folder {} left scope with {} items", describe, folderId, count);
  }

  private void file(Change change) throws IOException {
    String id = change.getFileId();
    File file = change.getFile();
    boolean isShortcut =
        before.shortcuts.containsKey(id)
            || (file != null && DriveApi.SHORTCUT.equals(file.getMimeType()));
    if (isShortcut) {
      shortcut(change);
      return;
    }
    if (gone(change)) {
      removed.add(id);
      after.links.remove(id);
      return;
    }
    Optional<String> folderPath = after.pathOf(parent(file));
    Optional<String> path =
        folderPath
            .map(p -> FolderMap.join(p, FolderMap.safe(file.getName())))
            .or(() -> Optional.ofNullable(after.links.get(id)));
    path.flatMap(p -> DriveItems.item(file, p))
        .ifPresentOrElse(item -> upserts.put(id, item), () -> removed.add(id));
  }

  private void shortcut(Change change) throws IOException {
    String id = change.getFileId();
    File file = change.getFile();
    Optional<String> folderPath = gone(change) ? Optional.empty() : after.pathOf(parent(file));
    String oldTarget = before.shortcuts.get(id);
    if (folderPath.isEmpty()) {
      unlink(id);
      return;
    }
    String newTarget =
        file.getShortcutDetails() == null ? null : file.getShortcutDetails().getTargetId();
    if (oldTarget != null && !Objects.equals(oldTarget, newTarget)) {
      unlink(id);
    }
    // (re)follow it: a new shortcut, a moved or renamed one
    if (newTarget != null) {
      after.mounts.remove(newTarget);
      after.links.remove(newTarget);
    }
    var tree = new DriveTree(api, after, describe);
    tree.followOne(file, folderPath.get());
    upserts.putAll(tree.items);
  }

  /** A shortcut left: what it alone brought in leaves with it. */
  private void unlink(String shortcutId) throws IOException {
    String target = after.shortcuts.remove(shortcutId);
    if (target == null) {
      return;
    }
    if (after.links.remove(target) != null) {
      removed.add(target);
    }
    if (after.mounts.containsKey(target) && !target.equals(after.rootId)) {
      after.mounts.remove(target);
      removeSubtree(target);
    }
  }

  private boolean isFolder(Change change) {
    String id = change.getFileId();
    if (before.folders.containsKey(id) || before.rootId.equals(id)) {
      return true;
    }
    return change.getFile() != null && DriveApi.FOLDER.equals(change.getFile().getMimeType());
  }

  private static boolean gone(Change change) {
    return Boolean.TRUE.equals(change.getRemoved())
        || change.getFile() == null
        || Boolean.TRUE.equals(change.getFile().getTrashed());
  }

  private static String parent(File file) {
    return file.getParents() == null || file.getParents().isEmpty()
        ? ""
        : file.getParents().getFirst();
  }
}
