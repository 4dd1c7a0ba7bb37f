package dev.ancla.source.drive;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The folders in scope and where they sit, so a change can be placed without asking Drive: a file
 * is in scope when its parent's chain reaches a mount (the root, or a folder a shortcut in scope
 * points to). Also the files reached only through shortcuts ({@code links}) and which shortcut
 * leads where ({@code shortcuts}), so a shortcut's removal removes what it brought in.
 *
 * <p>Holds folders only, never files: its size grows with the number of folders, not documents.
 */
final class FolderMap {
  /** A folder: its name and its (single, since 2020) parent. */
  record Folder(String name, String parent) {}

  final String rootId;
  final Map<String, Folder> folders;

  /** folder id to its display path ("" for the root) */
  final Map<String, String> mounts;

  /** file id reached through a shortcut to its display path */
  final Map<String, String> links;

  /** shortcut id to target id */
  final Map<String, String> shortcuts;

  FolderMap(String rootId) {
    this(
        rootId,
        new HashMap<>(),
        new HashMap<>(Map.of(rootId, "")),
        new HashMap<>(),
        new HashMap<>());
  }

  FolderMap(
      String rootId,
      Map<String, Folder> folders,
      Map<String, String> mounts,
      Map<String, String> links,
      Map<String, String> shortcuts) {
    this.rootId = rootId;
    this.folders = folders;
    this.mounts = mounts;
    this.links = links;
    this.shortcuts = shortcuts;
  }

  FolderMap copy() {
    return new FolderMap(
        rootId,
        new HashMap<>(folders),
        new HashMap<>(mounts),
        new HashMap<>(links),
        new HashMap<>(shortcuts));
  }

  /** The display path of a folder, or empty when it is not in scope. Safe against loops. */
  Optional<String> pathOf(String folderId) {
    var seen = new HashSet<String>();
    StringBuilder suffix = new StringBuilder();
    String id = folderId;
    while (seen.add(id)) {
      String mount = mounts.get(id);
      if (mount != null) {
        return Optional.of(join(mount, suffix.toString()));
      }
      Folder folder = folders.get(id);
      if (folder == null || folder.parent() == null) {
        return Optional.empty();
      }
      suffix.insert(0, suffix.isEmpty() ? safe(folder.name()) : safe(folder.name()) + "/");
      id = folder.parent();
    }
    return Optional.empty(); // a loop that reaches no mount
  }

  /** Removes folders whose chain reaches no mount, and mounts no shortcut in scope leads to. */
  void prune() {
    folders.keySet().removeIf(id -> pathOf(id).isEmpty());
  }

  Set<String> folderIds() {
    return folders.keySet();
  }

  static String join(String folderPath, String name) {
    if (folderPath.isEmpty()) {
      return name;
    }
    return name.isEmpty() ? folderPath : folderPath + "/" + name;
  }

  /** A Drive name as one path segment: Drive allows '/' in names, paths use it as separator. */
  static String safe(String name) {
    return name.replace('/', '_');
  }
}
