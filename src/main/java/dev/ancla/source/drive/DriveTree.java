package dev.ancla.source.drive;

import com.google.api.client.http.HttpResponseException;
import com.google.api.services.drive.model.File;
import dev.ancla.source.SourceItem;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Walks folders breadth-first, recording every folder in a {@link FolderMap} and every file as an
 * item. Shortcuts are followed after the folders themselves, so a file or folder reachable both
 * directly and through a shortcut is indexed once, at its own place. A shortcut that leads to a
 * folder already walked (a loop, or a second way in) or to nothing (dangling) is recorded in {@link
 * #skipped} and logged; neither stops the walk.
 */
final class DriveTree {
  private static final Logger log = LoggerFactory.getLogger(DriveTree.class);

  private final DriveApi api;
  private final FolderMap map;
  private final String describe;
  final Map<String, SourceItem> items = new TreeMap<>();
  final List<String> skipped = new ArrayList<>();
  private final Deque<Shortcut> shortcuts = new ArrayDeque<>();

  private record Shortcut(File file, String folderPath) {}

  DriveTree(DriveApi api, FolderMap map, String describe) {
    this.api = api;
    this.map = map;
    this.describe = describe;
  }

  /** Everything under the folder (whose own path is {@code path}), shortcuts included. */
  DriveTree walk(String folderId, String path) throws IOException {
    walkFolders(folderId, path);
    while (!shortcuts.isEmpty()) {
      follow(shortcuts.poll());
    }
    return this;
  }

  /** Follows one shortcut that sits in the folder at {@code folderPath}. */
  DriveTree followOne(File shortcut, String folderPath) throws IOException {
    shortcuts.add(new Shortcut(shortcut, folderPath));
    while (!shortcuts.isEmpty()) {
      follow(shortcuts.poll());
    }
    return this;
  }

  private void walkFolders(String start, String startPath) throws IOException {
    Deque<String[]> queue = new ArrayDeque<>();
    queue.add(new String[] {start, startPath});
    while (!queue.isEmpty()) {
      String[] next = queue.poll();
      String folderId = next[0];
      String folderPath = next[1];
      for (File child : api.children(folderId, false)) {
        String name = FolderMap.safe(child.getName() == null ? child.getId() : child.getName());
        String mime = child.getMimeType() == null ? "" : child.getMimeType();
        if (mime.equals(DriveApi.FOLDER)) {
          FolderMap.Folder known = map.folders.get(child.getId());
          if (map.mounts.containsKey(child.getId())
              || (known != null && !known.parent().equals(folderId))) {
            skip("folder " + folderPath + "/" + name + " (" + child.getId() + ") is reached twice");
            continue;
          }
          map.folders.put(child.getId(), new FolderMap.Folder(name, folderId));
          queue.add(new String[] {child.getId(), FolderMap.join(folderPath, name)});
        } else if (mime.equals(DriveApi.SHORTCUT)) {
          shortcuts.add(new Shortcut(child, folderPath));
        } else {
          DriveItems.item(child, FolderMap.join(folderPath, name))
              .ifPresentOrElse(
                  item -> items.putIfAbsent(item.id(), item),
                  () -> log.debug("{}: {} has no content to index ({})", describe, name, mime));
        }
      }
    }
  }

  private void follow(Shortcut shortcut) throws IOException {
    File file = shortcut.file();
    var details = file.getShortcutDetails();
    String where = FolderMap.join(shortcut.folderPath(), FolderMap.safe(file.getName()));
    if (details == null || details.getTargetId() == null) {
      skip("shortcut " + where + " has no target");
      return;
    }
    String targetId = details.getTargetId();
    api.resourceKey(targetId, details.getTargetResourceKey());
    map.shortcuts.put(file.getId(), targetId);
    if (DriveApi.FOLDER.equals(details.getTargetMimeType())) {
      if (map.folders.containsKey(targetId) || map.mounts.containsKey(targetId)) {
        skip(
            "shortcut " + where + " leads to a folder already indexed (a loop or a second way in)");
        return;
      }
      if (!reachable(targetId, where)) {
        return;
      }
      map.mounts.put(targetId, where);
      walkFolders(targetId, where);
      return;
    }
    if (items.containsKey(targetId)) {
      return; // reached directly or by another shortcut: indexed once
    }
    File target;
    try {
      target = api.get(targetId);
    } catch (HttpResponseException e) {
      if (gone(e)) {
        skip(
            "shortcut "
                + where
                + " is dangling: its target "
                + targetId
                + " is gone or not shared");
        return;
      }
      throw e;
    }
    if (Boolean.TRUE.equals(target.getTrashed())) {
      skip("shortcut " + where + " leads to a trashed file");
      return;
    }
    if (target.getParents() != null
        && target.getParents().stream().anyMatch(p -> map.pathOf(p).isPresent())) {
      return; // the file is in scope at its own place: indexed there, once
    }
    DriveItems.item(target, where)
        .ifPresent(
            item -> {
              items.put(item.id(), item);
              map.links.put(targetId, where);
            });
  }

  private boolean reachable(String folderId, String where) throws IOException {
    try {
      File target = api.get(folderId);
      if (Boolean.TRUE.equals(target.getTrashed())) {
        skip("shortcut " + where + " leads to a trashed folder");
        return false;
      }
      return true;
    } catch (HttpResponseException e) {
      if (gone(e)) {
        skip(
            "shortcut "
                + where
                + " is dangling: its folder "
                + folderId
                + " is gone or not shared");
        return false;
      }
      throw e;
    }
  }

  static boolean gone(HttpResponseException e) {
    return e.getStatusCode() == 404 || (e.getStatusCode() == 403 && !Retrier.rateLimited(e));
  }

  private void skip(String why) {
    skipped.add(why);
    log.warn("{}: skipped {}", describe, why);
  }
}
