package dev.ancla.source.drive;

import com.google.api.client.http.GenericUrl;
import com.google.api.client.http.HttpRequest;
import com.google.api.services.drive.Drive;
import com.google.api.services.drive.DriveRequest;
import com.google.api.services.drive.model.Change;
import com.google.api.services.drive.model.ChangeList;
import com.google.api.services.drive.model.File;
import com.google.api.services.drive.model.FileList;
import dev.ancla.source.Downloads;
import dev.ancla.source.Fetched;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Drive calls the source makes, each paced and retried, with the all-drives flags Drive needs
 * to show shared-drive items. Pages are followed by token until there is none, never counted: the
 * API may return short pages at any point.
 */
final class DriveApi {
  static final String FOLDER = "application/vnd.google-apps.folder";
  static final String SHORTCUT = "application/vnd.google-apps.shortcut";
  static final String FILE_FIELDS =
      "id,name,mimeType,parents,modifiedTime,version,md5Checksum,size,webViewLink,trashed,"
          + "driveId,resourceKey,shortcutDetails(targetId,targetMimeType,targetResourceKey)";
  private static final int PAGE_SIZE = 1000;

  private final Drive drive;
  private final Retrier retrier;
  private final Optional<String> sharedDrive;

  /** file id to resource key, for items reached through links that need one */
  private final Map<String, String> resourceKeys = new ConcurrentHashMap<>();

  DriveApi(Drive drive, Retrier retrier, Optional<String> sharedDrive) {
    this.drive = drive;
    this.retrier = retrier;
    this.sharedDrive = sharedDrive;
  }

  void resourceKey(String fileId, String key) {
    if (key != null && !key.isEmpty()) {
      resourceKeys.put(fileId, key);
    }
  }

  /** The folder's direct children; with {@code includeTrashed} the trashed ones too. */
  List<File> children(String folderId, boolean includeTrashed) throws IOException {
    var result = new ArrayList<File>();
    String pageToken = null;
    do {
      Drive.Files.List request =
          drive
              .files()
              .list()
              .setQ(
                  "'"
                      + folderId.replace("'", "\\'")
                      + "' in parents"
                      + (includeTrashed ? "" : " and trashed = false"))
              .setPageSize(PAGE_SIZE)
              .setFields("nextPageToken,files(" + FILE_FIELDS + ")")
              .setSupportsAllDrives(true)
              .setIncludeItemsFromAllDrives(true)
              .setPageToken(pageToken);
      sharedDrive.ifPresent(id -> request.setCorpora("drive").setDriveId(id));
      keyed(request, folderId);
      FileList page = retrier.call("files.list in " + folderId, request::execute);
      if (page.getFiles() != null) {
        result.addAll(page.getFiles());
      }
      pageToken = page.getNextPageToken();
    } while (pageToken != null && !pageToken.isEmpty());
    return result;
  }

  File get(String fileId) throws IOException {
    Drive.Files.Get request =
        drive.files().get(fileId).setSupportsAllDrives(true).setFields(FILE_FIELDS);
    keyed(request, fileId);
    return retrier.call("files.get " + fileId, request::execute);
  }

  Map<String, String> exportLinks(String fileId) throws IOException {
    Drive.Files.Get request =
        drive.files().get(fileId).setSupportsAllDrives(true).setFields("exportLinks");
    keyed(request, fileId);
    File file = retrier.call("files.get exportLinks " + fileId, request::execute);
    return file.getExportLinks() == null ? Map.of() : file.getExportLinks();
  }

  com.google.api.services.drive.model.Drive sharedDrive(String driveId) throws IOException {
    return retrier.call(
        "drives.get " + driveId, () -> drive.drives().get(driveId).setFields("id,name").execute());
  }

  String startPageToken() throws IOException {
    Drive.Changes.GetStartPageToken request =
        drive.changes().getStartPageToken().setSupportsAllDrives(true);
    sharedDrive.ifPresent(request::setDriveId);
    return retrier.call("changes.getStartPageToken", request::execute).getStartPageToken();
  }

  /** Every change since {@code token}, following pages; and the token for next time. */
  record Changes(List<Change> changes, String newStartPageToken) {}

  Changes changes(String token) throws IOException {
    var result = new ArrayList<Change>();
    String pageToken = token;
    while (true) {
      Drive.Changes.List request =
          drive
              .changes()
              .list(pageToken)
              .setPageSize(PAGE_SIZE)
              .setIncludeRemoved(true)
              .setSupportsAllDrives(true)
              .setIncludeItemsFromAllDrives(true)
              .setRestrictToMyDrive(false)
              .setFields(
                  "nextPageToken,newStartPageToken,changes(changeType,removed,fileId,file("
                      + FILE_FIELDS
                      + "))");
      sharedDrive.ifPresent(request::setDriveId);
      ChangeList page = retrier.call("changes.list", request::execute);
      if (page.getChanges() != null) {
        result.addAll(page.getChanges());
      }
      if (page.getNewStartPageToken() != null) {
        return new Changes(result, page.getNewStartPageToken());
      }
      pageToken = page.getNextPageToken();
      if (pageToken == null || pageToken.isEmpty()) {
        throw new IOException("changes.list returned neither nextPageToken nor newStartPageToken");
      }
    }
  }

  /** A binary file's bytes ({@code alt=media}). */
  Fetched media(String fileId, long maxBytes, String what) throws IOException {
    Drive.Files.Get request = drive.files().get(fileId).setSupportsAllDrives(true);
    keyed(request, fileId);
    return retrier.call(
        "download " + fileId,
        () -> Downloads.toTempFile(request.executeMediaAsInputStream(), maxBytes, what));
  }

  /** A native file exported with files.export (which Drive caps at 10 MB). */
  Fetched export(String fileId, String mimeType, long maxBytes, String what) throws IOException {
    Drive.Files.Export request = drive.files().export(fileId, mimeType);
    keyed(request, fileId);
    return retrier.call(
        "export " + fileId,
        () -> Downloads.toTempFile(request.executeMediaAsInputStream(), maxBytes, what));
  }

  /** Downloads an export link (no size cap on Drive's side), authorized like every call. */
  Fetched exportLink(String fileId, String url, long maxBytes, String what) throws IOException {
    return retrier.call(
        "export link " + fileId,
        () -> {
          HttpRequest request = drive.getRequestFactory().buildGetRequest(new GenericUrl(url));
          String key = resourceKeys.get(fileId);
          if (key != null) {
            request.getHeaders().set("X-Goog-Drive-Resource-Keys", fileId + "/" + key);
          }
          return Downloads.toTempFile(request.execute().getContent(), maxBytes, what);
        });
  }

  private void keyed(DriveRequest<?> request, String fileId) {
    String key = resourceKeys.get(fileId);
    if (key != null) {
      request.getRequestHeaders().set("X-Goog-Drive-Resource-Keys", fileId + "/" + key);
    }
  }
}
