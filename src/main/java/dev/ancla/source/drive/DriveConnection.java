package dev.ancla.source.drive;

import com.google.api.client.http.HttpRequestInitializer;
import com.google.api.client.http.HttpTransport;
import com.google.api.client.http.javanet.NetHttpTransport;
import com.google.api.client.json.gson.GsonFactory;
import com.google.api.services.drive.Drive;
import com.google.api.services.drive.DriveScopes;
import com.google.auth.http.HttpCredentialsAdapter;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.auth.oauth2.ServiceAccountCredentials;
import dev.ancla.config.Config.DriveSpec;
import dev.ancla.source.SourceException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * A Drive client for a service-account key: read-only scope ({@code drive.readonly}), optionally
 * impersonating a user (domain-wide delegation), talking to {@code ANCLA_DRIVE_API_URL}. The token
 * endpoint is the key's {@code token_uri}.
 */
final class DriveConnection {
  private static final int CONNECT_TIMEOUT_MS = 20_000;
  private static final int READ_TIMEOUT_MS = 120_000;

  final Drive drive;
  final String clientEmail;
  final Pacer pacer;

  private DriveConnection(Drive drive, String clientEmail, Pacer pacer) {
    this.drive = drive;
    this.clientEmail = clientEmail;
    this.pacer = pacer;
  }

  static DriveConnection open(DriveSpec spec) throws SourceException {
    HttpTransport transport = new NetHttpTransport();
    ServiceAccountCredentials key;
    try {
      key =
          ServiceAccountCredentials.fromStream(
              new ByteArrayInputStream(spec.credentialsJson().getBytes(StandardCharsets.UTF_8)),
              () -> transport);
    } catch (IOException | RuntimeException e) {
      // the library's message may quote the key's fields: only its type is shown
      throw new SourceException(
          "ANCLA_DRIVE_CREDENTIALS cannot be read as a service-account key ("
              + e.getClass().getSimpleName()
              + "); download a new JSON key for the service account (Google Cloud Console > IAM"
              + " > Service accounts > Keys > Add key > JSON) and set it again");
    }
    GoogleCredentials credentials = key.createScoped(List.of(DriveScopes.DRIVE_READONLY));
    if (spec.subject().isPresent()) {
      credentials = credentials.createDelegated(spec.subject().get());
    }
    var adapter = new HttpCredentialsAdapter(credentials);
    HttpRequestInitializer init =
        request -> {
          adapter.initialize(request);
          request.setConnectTimeout(CONNECT_TIMEOUT_MS);
          request.setReadTimeout(READ_TIMEOUT_MS);
        };
    Drive drive =
        new Drive.Builder(transport, GsonFactory.getDefaultInstance(), init)
            .setRootUrl(spec.apiUrl().toString())
            .setApplicationName("Ancla")
            .build();
    return new DriveConnection(drive, key.getClientEmail(), new Pacer(spec.requestsPerSecond()));
  }

  Retrier retrier(Duration base, Retrier.Sleeper sleeper) {
    return new Retrier(pacer, 8, base, sleeper);
  }
}
