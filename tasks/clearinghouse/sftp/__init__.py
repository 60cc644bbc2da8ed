"""The SFTP mailbox channel: 837P files up to the clearinghouse's inbound folder, TA1/999/277CA/835 down."""
